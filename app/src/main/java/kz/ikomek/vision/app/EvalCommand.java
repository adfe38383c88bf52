package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "eval", description = "not built yet")
final class EvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("eval");
    }
}

package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "run", description = "not built yet")
final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("run");
    }
}

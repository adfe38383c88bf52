package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "not built yet")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("demo");
    }
}

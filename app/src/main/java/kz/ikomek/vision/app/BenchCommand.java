package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "bench", description = "not built yet")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("bench");
    }
}

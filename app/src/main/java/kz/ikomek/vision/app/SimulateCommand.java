package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "simulate", description = "not built yet")
final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("simulate");
    }
}

package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "probe", description = "not built yet")
final class ProbeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("probe");
    }
}

package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "config", description = "not built yet")
final class ConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("config");
    }
}

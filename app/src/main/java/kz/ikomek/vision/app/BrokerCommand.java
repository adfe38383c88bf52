package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "broker", description = "not built yet")
final class BrokerCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("broker");
    }
}

package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "user", description = "not built yet")
final class UserCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("user");
    }
}

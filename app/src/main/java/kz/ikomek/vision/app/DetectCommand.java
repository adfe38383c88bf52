package kz.ikomek.vision.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "detect", description = "not built yet")
final class DetectCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotBuiltYet.say("detect");
    }
}

package kz.ikomek.vision.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kz.ikomek.vision.app.standalone.StandaloneNode;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.VisionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Production run: cameras → detectors → incidents → console and delivery.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        VisionConfig cfg = ConfigLoader.load(config);
        try (Shutdown shutdown = Shutdown.install(); StandaloneNode node = StandaloneNode.start(cfg, List.of())) {
            if (node.cameraGroup().isPresent()) {
                var cluster = cfg.cluster().orElseThrow();
                System.out.printf("ikomek-vision: worker %s of group %s on %s (%d cameras in this config), console "
                                + "on http://%s:%d/ (Ctrl-C stops)%n", node.cameraGroup().get().worker(),
                        cluster.group(), cluster.kafka(), cfg.cameras().size(), cfg.console().host(), node.consolePort());
            } else {
                System.out.printf("ikomek-vision: %d cameras, console on http://%s:%d/ (Ctrl-C stops)%n",
                        cfg.cameras().size(), cfg.console().host(), node.consolePort());
            }
            shutdown.await();
        }
        return 0;
    }
}

package kz.ikomek.vision.app;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.ClusterConfig;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.ingest.cluster.ClusterStatus;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ikomek-vision cluster status --config FILE}: which worker runs which camera, as JSON. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Look at a cluster of workers.",
        subcommands = ClusterCommand.Status.class)
final class ClusterCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: status");
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Which worker runs which camera: {\"workers\": [{\"id\", \"host\", \"cameras\"}], \"unassigned\"}.")
    static final class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the workers' YAML configuration")
        Path config;

        @Override
        public Integer call() throws Exception {
            VisionConfig cfg = ConfigLoader.load(config);
            ClusterConfig cluster = cfg.cluster().orElseThrow(() -> new BadInputException(config
                    + ": has no cluster section; cluster status needs cluster: { kafka: HOST:PORT }"));
            // The client logs each failed connection attempt; the one error that matters is ours, below.
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.OFF);
            ClusterStatus.Snapshot s = ClusterStatus.read(cluster, cfg.cameras());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("workers", s.workers().stream().map(w -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", w.id());
                m.put("host", w.host());
                m.put("cameras", w.cameras());
                return m;
            }).toList());
            out.put("unassigned", List.copyOf(s.unassigned()));
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.println(new ObjectMapper().writeValueAsString(out));
            stdout.flush();
            return 0;
        }
    }
}

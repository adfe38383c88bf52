package kz.ikomek.vision.app;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kz.ikomek.vision.bridge.kafka.LocalKafkaBroker;
import kz.ikomek.vision.config.BadInputException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ikomek-vision broker --dir DIR [--port 9092]}: a local single-node Apache Kafka (KRaft, broker and
 * controller in this JVM) for trying cluster mode on one machine. Ctrl-C stops it; the data stays in DIR.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a local single-node Kafka (KRaft) for trying cluster mode on one machine; Ctrl-C stops it.")
final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "where Kafka keeps its data")
    Path dir;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
            description = "client port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--controller-port", paramLabel = "PORT",
            description = "KRaft controller port on 127.0.0.1 (default: PORT + 1)")
    Integer controllerPort;

    @Option(names = "--verbose", description = "show Kafka's own INFO logs")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        int ctrl = controllerPort == null ? port + 1 : controllerPort;
        checkPort("--port", port);
        checkPort("--controller-port", ctrl);
        if (ctrl == port) {
            throw new BadInputException("--controller-port " + ctrl + ": must differ from --port");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("--dir " + dir + ": is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException("--dir " + dir + ": cannot create it (" + e.getMessage() + ")", e);
        }
        if (!verbose) {
            // The server logs every partition and config at INFO: a wall of text for a one-node trial broker.
            for (String name : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir, port, ctrl);
        Thread stopper = new Thread(broker::stop, "broker-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        out.println("Kafka (KRaft, single node) is running; data in " + dir.toAbsolutePath());
        out.println("bootstrap: " + broker.bootstrap());
        out.println("try it:    ikomek-vision run --config FILE   with   cluster: { kafka: " + broker.bootstrap() + " }");
        out.println("Ctrl-C stops it.");
        out.flush();
        broker.awaitShutdown();
        return 0;
    }

    private static void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new BadInputException(option + " " + port + ": must be a TCP port between 1 and 65535");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new BadInputException(option + " " + port + ": 127.0.0.1:" + port + " is already in use; pick "
                    + "another port (is a broker already running?)");
        }
    }
}

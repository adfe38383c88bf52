package kz.ikomek.vision.bridge.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Apache Kafka (KRaft: broker and controller in one process) running the real server code from
 * Maven Central, for trying cluster mode on one machine ({@code ikomek-vision broker}) and for tests. Not for
 * production: one node, replication factor 1. Restarting on the same directory and ports keeps the topics.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    static {
        // The server touches the Log4j 2 API (for its dynamic log-level controller) while we log through SLF4J:
        // without an implementation Log4j prints an ERROR at start. Its built-in simple context is enough.
        if (System.getProperty("log4j2.loggerContextFactory") == null) {
            try {
                Class.forName("org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
                System.setProperty("log4j2.loggerContextFactory",
                        "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
            } catch (ClassNotFoundException e) {
                // no Log4j API on the classpath: nothing to quiet
            }
        }
    }

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private LocalKafkaBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code dir} on first use and starts the node.
     *
     * @param port the client port; 0 picks a free one (see {@link #bootstrap()})
     */
    public static LocalKafkaBroker start(Path dir, int port) {
        return start(dir, port, 0);
    }

    /** As {@link #start(Path, int)}, with a fixed controller port (0 = a free one). */
    public static LocalKafkaBroker start(Path dir, int port, int controllerPort) {
        int clientPort = port == 0 ? freePort() : port;
        int ctrlPort = controllerPort == 0 ? freePort() : controllerPort;
        LocalKafkaBroker broker = new LocalKafkaBroker(dir.toAbsolutePath(), clientPort, ctrlPort);
        broker.startServer();
        return broker;
    }

    /** Starts it again after {@link #stop()}: same directory, same ports (clients reconnect by themselves). */
    public synchronized void restart() {
        if (server != null) {
            throw new IllegalStateException("broker on port " + port + " is already running");
        }
        startServer();
    }

    private synchronized void startServer() {
        Path logs = dir.resolve("kraft-logs");
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logs.toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "true");
        // One node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        try {
            Files.createDirectories(logs);
            if (!Files.exists(logs.resolve("meta.properties"))) {
                format(logs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka directory " + logs, e);
        }
        KafkaConfig config = new KafkaConfig(props, false);
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            s.shutdown();
            throw new IllegalStateException("Kafka did not start on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); is the port taken?", e);
        }
        server = s;
    }

    private void format(Path logs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter().setPrintStream(print).setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                    .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(logs.toString())
                    .addDirectory(logs.toString()).setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES).setIgnoreFormatted(true).run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka directory " + logs + ": " + e.getMessage()
                    + " " + out.toString(StandardCharsets.UTF_8), e);
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dir() {
        return dir;
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** Stops the node; {@link #restart()} brings it back with its data. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Blocks until the node stops (e.g. from a shutdown hook calling {@link #stop()}). */
    public void awaitShutdown() {
        KafkaRaftServer s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            s.awaitShutdown();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}

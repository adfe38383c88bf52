package kz.ikomek.vision.benchmarks.decode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ikomek-vision simulate} in a JVM of its own (the classes of this jar), so that its CPU, threads and
 * memory are not counted as the sessions'. It can be killed (SIGKILL, a server that dies) and started again on the
 * same port, which the soak does in a loop.
 */
final class SimulatorProcess implements AutoCloseable {

    private final String name;
    private final int cameras;
    private final int port;
    private final List<String> faultArgs;
    private final Path log;
    private Process process;
    private int starts;

    private SimulatorProcess(String name, int cameras, int port, List<String> faultArgs, Path log) {
        this.name = name;
        this.cameras = cameras;
        this.port = port;
        this.faultArgs = List.copyOf(faultArgs);
        this.log = log;
    }

    /**
     * Starts {@code simulate --cameras N} on a free port and returns once it has listed its cameras.
     *
     * @param faultArgs extra options of {@code simulate}, e.g. {@code --drop-after 20s}
     * @param log       where its stderr goes (appended over restarts); null discards it
     */
    static SimulatorProcess start(String name, int cameras, List<String> faultArgs, Path log) throws IOException {
        SimulatorProcess sim = new SimulatorProcess(name, cameras, freePort(), faultArgs, log);
        sim.launch();
        return sim;
    }

    /** The URL pattern of its cameras, {@code %d} standing for the camera number 1..N. */
    String urlPattern() {
        return "rtsp://127.0.0.1:" + port + "/cam-%d";
    }

    String url(int camera) {
        return String.format(Locale.ROOT, urlPattern(), camera);
    }

    String name() {
        return name;
    }

    int cameras() {
        return cameras;
    }

    /** How many times it was started (1 + restarts). */
    int starts() {
        return starts;
    }

    /** Kills it the hard way (SIGKILL): the kernel resets every connection, nothing says goodbye. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    /** Starts it again on the same port. */
    void restart() throws IOException {
        if (process != null) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    /** Its resident memory in bytes (VmRSS), or -1 when it is not running. */
    long residentBytes() {
        Process p = process;
        if (p == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU seconds it used since it (last) started, from its process handle; 0 when not running. */
    double cpuSeconds() {
        Process p = process;
        if (p == null) {
            return 0;
        }
        return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private void launch() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "kz.ikomek.vision.app.Main", "simulate", "--cameras", Integer.toString(cameras),
                "--port", Integer.toString(port)));
        cmd.addAll(faultArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        // It prints one line per camera once its port is bound and its loops are loaded.
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < cameras; i++) {
            if (out.readLine() == null) {
                p.destroyForcibly();
                throw new IOException("simulator " + name + " exited before listing its cameras"
                        + (log == null ? "" : "; see " + log));
            }
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep its stdout pipe from filling
                }
            } catch (IOException ignored) {
                // it stopped
            }
        }, "simulator-" + name + "-stdout");
        drain.setDaemon(true);
        drain.start();
        process = p;
        starts++;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops it politely (SIGTERM: its shutdown hook closes the connections and the port). */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }
}

package kz.ikomek.vision.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** GStreamer's RTSP server (Debian gstreamer1.0-rtsp + python3-gi) running rtsp_server.py: the independent camera. */
final class GstRtspServer implements AutoCloseable {

    private final List<String> args;
    private final int port;
    private Process process;

    private GstRtspServer(int port, List<String> extra) {
        this.port = port;
        this.args = extra;
    }

    /** Starts on a free port; {@code extra} are rtsp_server.py options (--auth u:p, --gop 10, --paths N). */
    static GstRtspServer start(String... extra) throws Exception {
        GstRtspServer s = new GstRtspServer(freePort(), List.of(extra));
        s.launch();
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "rtsp://127.0.0.1:" + port + "/" + path;
    }

    String url(String userInfo, String path) {
        return "rtsp://" + userInfo + "@127.0.0.1:" + port + "/" + path;
    }

    /** (Re)starts the server process on the same port and waits until it listens. */
    void launch() throws Exception {
        Path script;
        try {
            script = Path.of(GstRtspServer.class.getResource("/rtsp_server.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--port", Integer.toString(port)));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY")) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("rtsp_server.py exited: " + seen);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ready.get(20, TimeUnit.SECONDS);
        // Keep draining its output so the pipe never fills and blocks the server.
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "rtsp-server-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Kills the server (a camera losing power). */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the TCP connection stays open but nothing more arrives (a hung camera). */
    void freeze() throws Exception {
        signal("-STOP");
    }

    void thaw() throws Exception {
        signal("-CONT");
    }

    private void signal(String sig) throws Exception {
        Process k = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IllegalStateException("kill " + sig + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            thaw();
        }
        kill();
    }
}

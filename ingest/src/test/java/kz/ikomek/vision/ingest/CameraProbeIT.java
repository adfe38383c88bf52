package kz.ikomek.vision.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kz.ikomek.vision.ingest.probe.CameraProbe;
import kz.ikomek.vision.ingest.probe.ProbeReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code probe} against GStreamer's RTSP server and against things that are not cameras. */
@Tag("integration")
class CameraProbeIT {

    private static GstRtspServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = GstRtspServer.start("--gop", "15", "--fps", "15", "--auth", "viewer:right-pass");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static ProbeReport probe(String url, Duration timeout) {
        return CameraProbe.probe(url, timeout, CameraSource.Transport.TCP);
    }

    @Test
    void a_live_camera_is_ok_with_codec_size_fps_and_keyframe_interval() {
        ProbeReport r = probe(server.url("viewer:right-pass", "ok"), Duration.ofSeconds(15));
        assertThat(r.status()).as(r.toJson()).isEqualTo("ok");
        assertThat(r.codec()).isEqualTo("h264");
        assertThat(r.width()).isEqualTo(640);
        assertThat(r.height()).isEqualTo(360);
        assertThat(r.fps()).isEqualTo(15.0);
        assertThat(r.keyframeInterval()).isEqualTo(15);
        assertThat(r.connectMillis()).isPositive();
        assertThat(r.url()).isEqualTo("rtsp://***@127.0.0.1:" + server.port() + "/ok");
        JsonObject json = new JsonObject(r.toJson());
        assertThat(json.fieldNames()).containsExactly("url", "status", "codec", "width", "height", "fps",
                "keyframeInterval", "connectMillis", "error");
        assertThat(r.toJson()).doesNotContain("right-pass");
    }

    @Test
    void a_password_in_the_query_or_the_path_never_reaches_the_report() {
        for (String url : List.of(
                "rtsp://127.0.0.1:" + server.port() + "/ok?user=viewer&password=hunter2",
                "rtsp://127.0.0.1:" + server.port() + "/user=viewer&password=hunter2&channel=1&stream=0.sdp",
                "rtsp://viewer:hunter2@127.0.0.1:" + server.port() + "/nothing-here?token=hunter2")) {
            ProbeReport r = probe(url, Duration.ofSeconds(10));
            assertThat(r.toJson()).as(url).doesNotContain("hunter2").contains("***");
        }
    }

    @Test
    void a_wrong_password_is_unauthorized() {
        ProbeReport r = probe(server.url("viewer:wrong-pass", "ok"), Duration.ofSeconds(10));
        assertThat(r.status()).as(r.toJson()).isEqualTo("unauthorized");
        assertThat(r.toJson()).doesNotContain("wrong-pass");
    }

    @Test
    void a_dead_port_is_unreachable_within_the_timeout() throws Exception {
        long start = System.nanoTime();
        ProbeReport r = probe("rtsp://127.0.0.1:" + GstRtspServer.freePort() + "/cam", Duration.ofSeconds(3));
        assertThat(r.status()).as(r.toJson()).isEqualTo("unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void a_server_that_accepts_and_says_nothing_is_a_timeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            long start = System.nanoTime();
            ProbeReport r = probe("rtsp://127.0.0.1:" + silent.getLocalPort() + "/cam", Duration.ofSeconds(2));
            assertThat(r.status()).as(r.toJson()).isEqualTo("timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void garbage_is_no_video() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                java.util.Random random = new java.util.Random(7);
                while (!garbage.isClosed()) {
                    try (Socket s = garbage.accept()) {
                        byte[] junk = new byte[65536];
                        random.nextBytes(junk);
                        s.getOutputStream().write(junk);
                    } catch (Exception e) {
                        // the client hung up, or the test is over
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            ProbeReport r = probe("rtsp://127.0.0.1:" + garbage.getLocalPort() + "/cam", Duration.ofSeconds(5));
            assertThat(r.status()).as(r.toJson()).isEqualTo("no_video");
            assertThat(r.error()).isNotBlank();
        }
    }
}

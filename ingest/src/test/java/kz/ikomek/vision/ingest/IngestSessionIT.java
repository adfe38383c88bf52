package kz.ikomek.vision.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import kz.ikomek.vision.ingest.health.CameraHealth;
import kz.ikomek.vision.ingest.health.CameraState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Camera sessions against GStreamer's RTSP server: the real thing, no mocks. */
@Tag("integration")
class IngestSessionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static GstRtspServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = GstRtspServer.start("--gop", "10", "--fps", "10");   // a keyframe every second
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static IngestOptions fast() {
        return IngestOptions.defaults()
                .withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofSeconds(6))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    private static CameraState state(IngestService ingest, String id) {
        return ingest.health(id).map(CameraHealth::state).orElse(null);
    }

    private static List<FrameSample> collect(IngestService ingest, int n) throws InterruptedException {
        List<FrameSample> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            got.addAll(ingest.ready().take(n - got.size(), Duration.ofMillis(500)));
        }
        return got;
    }

    /**
     * Samples the camera has delivered, after taking (and releasing) whatever waits in the ready queue, as the detectors
     * would: a session does not decode a routine look while its last one still waits to be taken.
     */
    static long taken(IngestService ingest, String cameraId) {
        try {
            ingest.ready().take(64, Duration.ZERO).forEach(FrameSample::close);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ingest.counters(cameraId).samples();
    }

    @Test
    void samples_each_zone_at_its_cadence_from_keyframes_alone() throws Exception {
        try (IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-1", server.url("ok"), null,
                    Map.of("road", Duration.ofSeconds(1), "yard", Duration.ofSeconds(2))));
            List<FrameSample> samples = collect(ingest, 5);
            try {
                assertThat(samples).hasSize(5);
                for (FrameSample s : samples) {
                    assertThat(s.cameraId()).isEqualTo("cam-1");
                    assertThat(s.image().cols()).isEqualTo(640);
                    assertThat(s.image().rows()).isEqualTo(360);
                    assertThat(s.image().channels()).isEqualTo(3);
                    assertThat(s.dueZones()).contains("road");
                }
                // "yard" (2 s) rides along on every other "road" (1 s) frame.
                long withYard = samples.stream().filter(s -> s.dueZones().contains("yard")).count();
                assertThat(withYard).isBetween(2L, 4L);
            } finally {
                samples.forEach(FrameSample::close);
            }
            // The first seconds after connecting come in a burst; the 2 s rate window settles after it.
            Await.until("10 fps", WAIT, () -> Math.abs(ingest.health("cam-1").orElseThrow().fps() - 10) < 2, ingest::health);
            CameraHealth h = ingest.health("cam-1").orElseThrow();
            assertThat(h.state()).isEqualTo(CameraState.STREAMING);
            assertThat(h.keyframeInterval()).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
            IngestService.SessionCounters c = ingest.counters("cam-1");
            // Keyframes only: 1 packet in 10 reaches the decoder.
            assertThat(c.decodedPackets()).isLessThanOrEqualTo(c.videoPackets() / 10 + 2);
            assertThat(c.decodedPackets()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void decodes_every_packet_when_the_cadence_is_faster_than_the_keyframes() throws Exception {
        try (IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-fast", server.url("ok"), null, Map.of("road", Duration.ofMillis(300))));
            List<FrameSample> samples = collect(ingest, 8);
            samples.forEach(FrameSample::close);
            assertThat(samples).hasSize(8);
            IngestService.SessionCounters c = ingest.counters("cam-fast");
            assertThat(c.decodedPackets()).isGreaterThan(c.videoPackets() / 2);
        }
    }

    @Test
    void a_slow_consumer_sees_the_newest_frame_and_stale_ones_are_dropped() throws Exception {
        try (IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-slow", server.url("ok"), null, Map.of("road", Duration.ofMillis(500))));
            Await.until("3 dropped samples", WAIT, () -> ingest.health("cam-slow").orElseThrow().framesDropped() >= 3,
                    () -> ingest.health("cam-slow"));
            List<FrameSample> one = ingest.ready().take(10, Duration.ofSeconds(1));
            one.forEach(FrameSample::close);
            assertThat(one).hasSize(1);
        }
    }

    @Test
    void prefers_the_sub_stream() throws Exception {
        try (IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-sub", "rtsp://127.0.0.1:1/main-is-not-used", server.url("ok"),
                    Map.of("road", Duration.ofSeconds(1))));
            List<FrameSample> samples = collect(ingest, 1);
            samples.forEach(FrameSample::close);
            assertThat(samples).hasSize(1);
        }
    }

    @Test
    void wrong_password_shows_unauthorized_without_the_password() throws Exception {
        try (GstRtspServer secured = GstRtspServer.start("--auth", "viewer:right-pass");
             IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-bad", secured.url("viewer:wrong-pass", "ok"), null, Map.of("road", Duration.ofSeconds(1))));
            ingest.add(new CameraSource("cam-good", secured.url("viewer:right-pass", "ok"), null, Map.of("road", Duration.ofSeconds(1))));
            Await.until("unauthorized", WAIT, () -> state(ingest, "cam-bad") == CameraState.UNAUTHORIZED, ingest::health);
            Await.until("good camera streams", WAIT, () -> state(ingest, "cam-good") == CameraState.STREAMING, ingest::health);
            String error = ingest.health("cam-bad").orElseThrow().lastError();
            assertThat(error).contains("401").contains("***@").doesNotContain("wrong-pass");
        }
    }

    @Test
    void recovers_by_itself_when_the_server_dies_and_comes_back() throws Exception {
        try (GstRtspServer flaky = GstRtspServer.start("--gop", "10");
             IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-flaky", flaky.url("ok"), null, Map.of("road", Duration.ofSeconds(1))));
            Await.until("streaming", WAIT, () -> state(ingest, "cam-flaky") == CameraState.STREAMING, ingest::health);
            flaky.kill();
            Await.until("lost", WAIT, () -> state(ingest, "cam-flaky") != CameraState.STREAMING, ingest::health);
            flaky.launch();
            Await.until("streaming again", WAIT, () -> state(ingest, "cam-flaky") == CameraState.STREAMING, ingest::health);
            long before = taken(ingest, "cam-flaky");
            Await.until("new samples", WAIT, () -> taken(ingest, "cam-flaky") > before + 1);
            assertThat(ingest.health("cam-flaky").orElseThrow().reconnects()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void a_stream_that_stalls_is_noticed_and_recovers() throws Exception {
        try (GstRtspServer hung = GstRtspServer.start("--gop", "10");
             IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-hung", hung.url("ok"), null, Map.of("road", Duration.ofSeconds(1))));
            Await.until("streaming", WAIT, () -> state(ingest, "cam-hung") == CameraState.STREAMING, ingest::health);
            hung.freeze();
            long frozenAt = System.nanoTime();
            Await.until("stall noticed", WAIT, () -> !state(ingest, "cam-hung").delivering(), ingest::health);
            // The read timeout (2 s) or the watchdog (6 s) noticed it, not a TCP keepalive hours later.
            assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).isLessThan(Duration.ofSeconds(10));
            hung.thaw();
            Await.until("streaming again", WAIT, () -> state(ingest, "cam-hung") == CameraState.STREAMING, ingest::health);
        }
    }

    @Test
    void garbage_on_the_port_is_reported_and_nothing_breaks() throws Exception {
        AtomicBoolean serving = new AtomicBoolean(true);
        try (ServerSocket garbage = new ServerSocket(0);
             IngestService ingest = new IngestService(fast())) {
            Thread t = new Thread(() -> {
                Random random = new Random(42);
                byte[] junk = new byte[4096];
                while (serving.get()) {
                    try (Socket s = garbage.accept(); OutputStream out = s.getOutputStream()) {
                        for (int i = 0; i < 64; i++) {
                            random.nextBytes(junk);
                            out.write(junk);
                        }
                    } catch (Exception e) {
                        // client hung up or the socket closed: next connection
                    }
                }
            }, "garbage-server");
            t.setDaemon(true);
            t.start();
            ingest.add(new CameraSource("cam-junk", "rtsp://127.0.0.1:" + garbage.getLocalPort() + "/x", null,
                    Map.of("road", Duration.ofSeconds(1))));
            ingest.add(new CameraSource("cam-fine", server.url("ok"), null, Map.of("road", Duration.ofSeconds(1))));
            Await.until("junk camera failed twice", WAIT, () -> ingest.health("cam-junk").orElseThrow().reconnects() >= 2
                    && ingest.health("cam-junk").orElseThrow().lastError() != null, ingest::health);
            Await.until("the other camera streams", WAIT, () -> state(ingest, "cam-fine") == CameraState.STREAMING, ingest::health);
            assertThat(state(ingest, "cam-junk")).isIn(CameraState.NO_VIDEO, CameraState.BACKOFF, CameraState.CONNECTING);
            serving.set(false);
        }
    }

    @Test
    void a_stream_that_turns_to_endless_junk_is_given_up_at_the_read_timeout_not_by_the_watchdog() throws Exception {
        try (JunkProxy proxy = JunkProxy.to(server.port());
             IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-mad", proxy.url("ok"), null, Map.of("road", Duration.ofSeconds(1))));
            Await.until("first samples", WAIT, () -> taken(ingest, "cam-mad") >= 2, ingest::health);
            proxy.junk();
            long junkAt = System.nanoTime();
            Await.until("read given up", WAIT, () -> String.valueOf(ingest.health("cam-mad").orElseThrow().lastError())
                    .contains("read failed"), ingest::health);
            // The interrupt callback ends the read at the read timeout (2 s); without it only the watchdog (6 s),
            // which abandons the thread, could.
            assertThat(Duration.ofNanos(System.nanoTime() - junkAt)).isLessThan(Duration.ofSeconds(5));
            assertThat(ingest.abandonedSessions()).isZero();
        }
    }

    @Test
    void tells_frozen_black_and_covered_pictures_apart() throws Exception {
        // Frozen is decided on stream time (production: 2 minutes of the same picture); here 4 s, checked every second.
        try (IngestService ingest = new IngestService(fast().withPictureCheck(Duration.ofSeconds(1), Duration.ofSeconds(4)))) {
            Map<String, Duration> z = Map.of("road", Duration.ofMillis(900));
            for (String id : List.of("frozen", "frozen-clock", "black", "covered", "still", "night", "ok")) {
                ingest.add(new CameraSource(id, server.url(id), null, z));
            }
            Await.until("picture states", WAIT, () -> state(ingest, "frozen") == CameraState.FROZEN
                    && state(ingest, "frozen-clock") == CameraState.FROZEN
                    && state(ingest, "black") == CameraState.BLACK && state(ingest, "covered") == CameraState.COVERED, ingest::health);
            // A still picture with sensor noise and a ticking clock is a camera on a quiet street, not a frozen one, by
            // day and by night; by now (past the frozen time) each has been checked several times.
            Await.until("still and moving scenes sampled", WAIT, () -> ingest.counters("ok").samples() >= 8
                    && ingest.counters("still").samples() >= 8 && ingest.counters("night").samples() >= 8);
            assertThat(state(ingest, "ok")).isEqualTo(CameraState.STREAMING);
            assertThat(state(ingest, "still")).isEqualTo(CameraState.STREAMING);
            assertThat(state(ingest, "night")).isEqualTo(CameraState.STREAMING);
        }
    }

    @Test
    void a_dead_port_is_unreachable() throws Exception {
        try (IngestService ingest = new IngestService(fast())) {
            ingest.add(new CameraSource("cam-dead", "rtsp://127.0.0.1:" + GstRtspServer.freePort() + "/x", null,
                    Map.of("road", Duration.ofSeconds(1))));
            Await.until("unreachable", WAIT, () -> state(ingest, "cam-dead") == CameraState.UNREACHABLE, ingest::health);
        }
    }
}

package kz.ikomek.vision.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import kz.ikomek.vision.simulator.rtsp.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against independent clients: the Debian ffprobe/ffmpeg, and raw sockets for the
 * fault switches. Loops are 10 s here (the scenario timeline is irrelevant) and cached under
 * target/, so reruns start in a second.
 */
@Tag("integration")
class SimulatorIT {
    private static final Path CACHE = Path.of("target", "loop-cache");
    private static RtspSimulator sim;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        sim = RtspSimulator.start(options(50).build());
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static SimulatorOptions.Builder options(int cameras) {
        return SimulatorOptions.builder().cameras(cameras).port(0).variants(1).loopSeconds(10).cacheDir(CACHE);
    }

    @Test
    void ffprobe_reads_camera_7_of_50_as_640x360_h264() throws Exception {
        Proc p = run(tmp.resolve("probe"), "ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                "-show_entries", "stream=codec_name,profile,width,height,r_frame_rate", "-of", "default=nw=1",
                sim.url(7));
        assertThat(p.waitFor(Duration.ofSeconds(30))).as(p.err()).isZero();
        assertThat(p.out()).contains("codec_name=h264", "width=640", "height=360", "r_frame_rate=5/1");
        assertThat(p.err()).isEmpty();
    }

    @Test
    void twenty_ffmpeg_clients_decode_ten_seconds_each_without_an_error() throws Exception {
        List<Proc> procs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int camera = 1 + (i * 7) % 50;
            procs.add(run(tmp.resolve("ffmpeg-" + i), "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp",
                    "-i", sim.url(camera), "-t", "10", "-f", "framecrc", "-"));
        }
        for (Proc p : procs) {
            assertThat(p.waitFor(Duration.ofSeconds(90))).as(p.err()).isZero();
            assertThat(p.err()).as("ffmpeg's error output").isEmpty();
            long frames = p.out().lines().filter(l -> !l.startsWith("#")).count();
            // 10 s at 5 fps; a client joining mid-GOP gets the pictures since the last keyframe at once.
            assertThat(frames).isBetween(45L, 62L);
        }
    }

    @Test
    void ffmpeg_with_its_default_udp_transport_decodes_without_an_error() throws Exception {
        Proc p = run(tmp.resolve("default"), "ffmpeg", "-nostdin", "-v", "error", "-i", sim.url(3),
                "-t", "6", "-f", "framecrc", "-");
        assertThat(p.waitFor(Duration.ofSeconds(40))).as(p.err()).isZero();
        assertThat(p.err()).isEmpty();
        assertThat(p.out().lines().filter(l -> !l.startsWith("#")).count()).isBetween(25L, 32L);
    }

    @Test
    void with_a_lead_in_a_client_first_sees_the_loops_first_picture_then_the_loop() throws Exception {
        try (RtspSimulator own = RtspSimulator.start(options(1).loopStartsOnPlay(true).leadIn(Duration.ofSeconds(2))
                .build())) {
            Proc p = run(tmp.resolve("lead-in"), "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp",
                    "-i", own.url(1), "-t", "5", "-f", "framecrc", "-");
            assertThat(p.waitFor(Duration.ofSeconds(40))).as(p.err()).isZero();
            List<String> crcs = p.out().lines().filter(l -> !l.startsWith("#"))
                    .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
            assertThat(crcs.size()).isBetween(22, 27);
            // 2 s at 5 fps of one picture (the street before its scenario), then the loop's moving pictures
            assertThat(crcs.subList(0, 10)).as(p.out()).containsOnly(crcs.get(0));
            assertThat(crcs.subList(12, crcs.size()).stream().distinct().count()).as(p.out()).isGreaterThan(5);
        }
    }

    @Test
    void credentials_are_required_when_set_and_digest_and_basic_both_work() throws Exception {
        for (Credentials.Scheme scheme : List.of(Credentials.Scheme.DIGEST, Credentials.Scheme.BASIC)) {
            try (RtspSimulator secured = RtspSimulator.start(options(2).credentials("viewer", "s3cret!", scheme).build())) {
                Proc denied = run(tmp.resolve("denied-" + scheme), "ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                        secured.url(1));
                assertThat(denied.waitFor(Duration.ofSeconds(30))).isNotZero();
                assertThat(denied.err()).contains("401");
                Proc ok = run(tmp.resolve("ok-" + scheme), "ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                        "-show_entries", "stream=codec_name", "-of", "default=nw=1", secured.urlWithCredentials(1));
                assertThat(ok.waitFor(Duration.ofSeconds(30))).as(ok.err()).isZero();
                assertThat(ok.out()).contains("codec_name=h264");
            }
        }
    }

    @Test
    void drop_fault_resets_the_connection_after_the_delay() throws Exception {
        sim.setFault(11, Fault.dropAfter(Duration.ofSeconds(1)));
        try (RtspLoadClient client = new RtspLoadClient(List.of(sim.url(11), sim.url(12)))) {
            await(() -> client.sessions().get(0).failure() != null, Duration.ofSeconds(15));
            assertThat(client.sessions().get(0).pictures()).isPositive();
            await(() -> client.sessions().get(1).pictures() > 10, Duration.ofSeconds(15));
            assertThat(client.sessions().get(1).failure()).isNull();
        } finally {
            sim.clearFault(11);
        }
    }

    @Test
    void stall_fault_keeps_the_socket_open_but_stops_the_pictures() throws Exception {
        sim.setFault(13, Fault.stallAfter(Duration.ofSeconds(1)));
        try (RtspLoadClient client = new RtspLoadClient(List.of(sim.url(13), sim.url(14)))) {
            RtspLoadClient.Session stalled = client.sessions().get(0);
            RtspLoadClient.Session healthy = client.sessions().get(1);
            await(() -> healthy.pictures() > 0 && stalled.pictures() > 0, Duration.ofSeconds(15));
            long h0 = healthy.pictures();
            // Ten more pictures of the healthy camera = 2 s at 5 fps: the stall (after 1 s) is in force.
            await(() -> healthy.pictures() >= h0 + 10, Duration.ofSeconds(15));
            long before = stalled.pictures();
            long h1 = healthy.pictures();
            await(() -> healthy.pictures() >= h1 + 15, Duration.ofSeconds(15));
            assertThat(stalled.pictures()).isLessThanOrEqualTo(before + 1);
            assertThat(stalled.failure()).isNull();
        } finally {
            sim.clearFault(13);
        }
    }

    @Test
    void garbage_fault_sends_bytes_that_are_not_interleaved_rtp() throws Exception {
        sim.setFault(15, Fault.garbageAfter(Duration.ZERO));
        try (Socket s = new Socket("127.0.0.1", sim.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            play(s, sim.url(15));
            byte[] buf = in.readNBytes(4096);
            // Valid interleaved data is a chain of '$' frames; random bytes break the chain at once.
            int pos = 0;
            int frames = 0;
            while (pos + 4 <= buf.length && buf[pos] == '$') {
                pos += 4 + (((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF));
                frames++;
            }
            assertThat(frames).isLessThan(3);
        } finally {
            sim.clearFault(15);
        }
    }

    @Test
    void refuse_fault_resets_the_connection_at_the_first_request_for_the_camera() throws Exception {
        sim.setFault(16, Fault.refuse());
        try {
            Proc p = run(tmp.resolve("refused"), "ffprobe", "-v", "error", "-rtsp_transport", "tcp", sim.url(16));
            assertThat(p.waitFor(Duration.ofSeconds(30))).isNotZero();
            Proc ok = run(tmp.resolve("other"), "ffprobe", "-v", "error", "-rtsp_transport", "tcp", sim.url(17));
            assertThat(ok.waitFor(Duration.ofSeconds(30))).as(ok.err()).isZero();
        } finally {
            sim.clearFault(16);
        }
    }

    @Test
    void two_hundred_raw_clients_all_receive_pictures() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            urls.add(sim.url(1 + i % 50));
        }
        try (RtspLoadClient client = new RtspLoadClient(urls)) {
            await(() -> client.sessions().stream().allMatch(s -> s.pictures() >= 15), Duration.ofSeconds(30));
            assertThat(client.failures()).isZero();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** DESCRIBE, SETUP (interleaved) and PLAY over a plain socket; leaves the stream to the caller. */
    private static void play(Socket s, String url) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        String session = null;
        String[][] steps = {
            {"DESCRIBE", url, ""},
            {"SETUP", url + "/track1", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n"},
            {"PLAY", url, ""},
        };
        int cseq = 1;
        for (String[] step : steps) {
            String extra = step[2] + (session != null ? "Session: " + session + "\r\n" : "");
            out.write((step[0] + " " + step[1] + " RTSP/1.0\r\nCSeq: " + cseq++ + "\r\n" + extra + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            assertThat(head).startsWith("RTSP/1.0 200");
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Session:", 0, 8)) {
                    session = line.substring(8).split(";")[0].trim();
                }
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    in.readNBytes(Integer.parseInt(line.substring(15).trim()));
                }
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    private record Proc(Process process, Path outFile, Path errFile) {
        int waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("process did not finish within " + timeout + ": " + err());
            }
            return process.exitValue();
        }

        String out() throws IOException {
            return Files.readString(outFile);
        }

        String err() {
            try {
                return Files.readString(errFile);
            } catch (IOException e) {
                return "(no stderr: " + e + ")";
            }
        }
    }

    private static Proc run(Path base, String... command) throws IOException {
        Path out = Path.of(base + ".out");
        Path err = Path.of(base + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Proc(p, out, err);
    }
}

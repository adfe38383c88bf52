package kz.ikomek.vision.benchmarks.decode;

import kz.ikomek.vision.benchmarks.Machine;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.IngestOptions;
import kz.ikomek.vision.ingest.IngestService;

/**
 * Keyframe-only decode of a 640x360 H.264 file (GOP 50) through ingest's camera session (demux,
 * keyframe selection, decode, scale to BGR, picture checks, mailbox) against
 * {@code ffmpeg -skip_frame nokey -i FILE -f null -} on the same file in the same run. The figure is
 * the CPU-time ratio ours / ffmpeg (goal at most 1.2).
 *
 * <pre>ikomek-vision bench decode [--json benchmarks/results/decode.json] [--minutes 30] [--runs 3] [--source testsrc|mandelbrot]</pre>
 *
 * CPU time of ours is the JVM's whole process CPU time over one pass of the file (GC and JIT included),
 * after one warm-up pass; ffmpeg's is its own user+system time from {@code -benchmark}.
 */
public final class DecodeBench {

    private static final Pattern FFMPEG_BENCH = Pattern.compile("utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");

    private DecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of("benchmarks/results/decode.json");
        int minutes = 30;
        int runs = 3;
        String source = "testsrc";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(args[++i]);
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--source" -> source = args[++i];
                default -> {
                    System.err.println("bench decode: unknown option " + args[i]
                            + "; use --json OUT, --minutes N, --runs N, --source testsrc|mandelbrot");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("decode-bench");
        Path video = makeVideo(dir, source, minutes);
        int keyframes = countKeyframes(video);
        System.err.printf(Locale.ROOT, "decode bench: %s, %d min, %d keyframes, %.1f MiB%n", source, minutes, keyframes,
                Files.size(video) / 1048576.0);

        ourPass(video);   // warm-up: natives loaded, JIT compiled
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Map<String, Object> ours = ourPass(video);
            Map<String, Object> ffmpeg = ffmpegPass(video, null);
            Map<String, Object> ffmpeg1 = ffmpegPass(video, "1");
            double ratio = (double) ours.get("cpuSeconds") / (double) ffmpeg.get("cpuSeconds");
            ratios.add(ratio);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ours", ours);
            row.put("ffmpeg", ffmpeg);
            row.put("ffmpegThreads1", ffmpeg1);
            row.put("ratio", round(ratio));
            row.put("ratioVsThreads1", round((double) ours.get("cpuSeconds") / (double) ffmpeg1.get("cpuSeconds")));
            rows.add(row);
            System.err.printf(Locale.ROOT, "run %d: ours %.3f s CPU (session thread %.3f s), ffmpeg %.3f s CPU (threads=1: %.3f s): ratio %.3f%n", r + 1,
                    ours.get("cpuSeconds"), ours.get("sessionThreadCpuSeconds"), ffmpeg.get("cpuSeconds"), ffmpeg1.get("cpuSeconds"), ratio);
        }
        ratios.sort(Double::compare);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "keyframe-only decode, ingest session vs ffmpeg -skip_frame nokey");
        result.put("machine", Machine.describe());
        result.put("file", Map.of("source", source, "size", "640x360", "fps", 25, "gop", 50, "minutes", minutes,
                "keyframes", keyframes, "bytes", Files.size(video)));
        result.put("ffmpegCommand", "ffmpeg -benchmark -skip_frame nokey -i FILE -f null -");
        result.put("runs", rows);
        result.put("medianRatio", round(ratios.get(ratios.size() / 2)));
        result.put("goal", 1.2);
        Files.createDirectories(json.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
        System.out.printf(Locale.ROOT, "median CPU ratio ours/ffmpeg: %.3f (goal <= 1.2); written to %s%n",
                ratios.get(ratios.size() / 2), json);
        deleteAll(dir);
    }

    /** One pass of the file through an ingest session; every keyframe is due (cadence 2 s = GOP). */
    private static Map<String, Object> ourPass(Path video) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        IngestOptions options = IngestOptions.defaults().withPaceFiles(false).withDecodePermits(1);
        try (IngestService ingest = new IngestService(options);
             SampleDrain drain = new SampleDrain(ingest)) {
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            ingest.add(new CameraSource("bench", video.toString(), null, Map.of("road", Duration.ofSeconds(2))));
            // The pass ends at end of file: the session then reconnects (a file loops like a camera).
            while (ingest.health("bench").orElseThrow().reconnects() == 0
                    && ingest.health("bench").orElseThrow().state() != kz.ikomek.vision.ingest.health.CameraState.BACKOFF) {
                Thread.sleep(5);
            }
            long cpu1 = os.getProcessCpuTime();
            long wall1 = System.nanoTime();
            long sessionCpu = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("ingest-bench")) {
                    sessionCpu += threads.getThreadCpuTime(t.getId());   // since add(): the session's own work
                }
            }
            IngestService.SessionCounters c = ingest.counters("bench");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpuSeconds", round((cpu1 - cpu0) / 1e9));
            m.put("sessionThreadCpuSeconds", round(sessionCpu / 1e9));
            m.put("wallSeconds", round((wall1 - wall0) / 1e9));
            m.put("videoPackets", c.videoPackets());
            m.put("decodedPackets", c.decodedPackets());
            m.put("samples", c.samples());
            m.put("threadsInProcess", threads.getThreadCount());
            return m;
        }
    }

    private static Map<String, Object> ffmpegPass(Path video, String threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-benchmark"));
        if (threads != null) {
            cmd.addAll(List.of("-threads", threads));
        }
        cmd.addAll(List.of("-skip_frame", "nokey", "-i", video.toString(), "-f", "null", "-"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + out);
        }
        Matcher m = FFMPEG_BENCH.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no -benchmark line in ffmpeg output: " + out);
        }
        Matcher frames = Pattern.compile("frame=\\s*(\\d+)").matcher(out);
        String decoded = "?";
        while (frames.find()) {
            decoded = frames.group(1);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cpuSeconds", round(Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))));
        r.put("wallSeconds", round(Double.parseDouble(m.group(3))));
        r.put("framesOut", decoded);
        return r;
    }

    /**
     * A 640x360, 25 fps H.264 file with a keyframe every 50 frames ({@code source}: testsrc or mandelbrot), of whole
     * minutes; also the file of the JMH decode benchmark.
     */
    public static Path makeVideo(Path dir, String source, int minutes) throws IOException, InterruptedException {
        String lavfi = switch (source) {
            case "testsrc" -> "testsrc=size=640x360:rate=25";
            case "mandelbrot" -> "mandelbrot=size=640x360:rate=25";
            default -> throw new IllegalArgumentException("--source: testsrc or mandelbrot, got " + source);
        };
        // Encode one minute, then repeat it by stream copy: a long file without minutes of encoding.
        Path minute = dir.resolve("minute.mp4");
        run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", lavfi, "-t", "60", "-c:v", "libx264", "-preset", "veryfast",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-pix_fmt", "yuv420p", minute.toString());
        Path video = dir.resolve("f.mp4");
        run("ffmpeg", "-v", "error", "-stream_loop", Integer.toString(minutes - 1), "-i", minute.toString(), "-c", "copy",
                video.toString());
        return video;
    }

    private static int countKeyframes(Path video) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=flags",
                "-of", "csv=p=0", video.toString()).redirectErrorStream(true).start();
        int n = 0;
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("K")) {
                n++;
            }
        }
        p.waitFor();
        return n;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", cmd));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    public static void deleteAll(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

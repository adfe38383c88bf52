package kz.ikomek.vision.benchmarks.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.FrameSample;
import kz.ikomek.vision.ingest.IngestOptions;
import kz.ikomek.vision.ingest.IngestService;
import kz.ikomek.vision.ingest.health.CameraHealth;
import org.bytedeco.javacpp.Pointer;

/**
 * Many concurrent camera sessions in one JVM at one frame per cadence: CPU, threads and resident
 * memory per session, measured in this process (the RTSP server runs in another).
 *
 * <pre>java -cp ... kz.ikomek.vision.benchmarks.decode.SessionsBench --url rtsp://127.0.0.1:8554/cam-%d
 *      --cameras 200 --cadence 2 --seconds 60 [--ramp 10] [--json benchmarks/results/sessions.json]</pre>
 * {@code %d} in the URL becomes the camera number 1..N.
 */
public final class SessionsBench {

    private SessionsBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        int cameras = 200;
        int cadence = 2;
        int seconds = 60;
        int rampPerSecond = 10;
        Path json = Path.of("benchmarks/results/sessions.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--cameras" -> cameras = Integer.parseInt(args[++i]);
                case "--cadence" -> cadence = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--ramp" -> rampPerSecond = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null || !url.contains("%d")) {
            throw new IllegalArgumentException("--url with %d for the camera number is required");
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        IngestOptions options = IngestOptions.defaults();
        AtomicLong samples = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        try (IngestService ingest = new IngestService(options)) {
            Thread detector = new Thread(() -> {
                while (running.get()) {
                    try {
                        for (FrameSample s : ingest.ready().take(64, Duration.ofMillis(200))) {
                            samples.incrementAndGet();
                            s.close();
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-detector");
            detector.start();
            System.gc();
            long rssBase = Pointer.physicalBytes();
            int threadsBase = threads.getThreadCount();
            long start = System.nanoTime();
            for (int n = 1; n <= cameras; n++) {
                ingest.add(new CameraSource("cam-" + n, String.format(Locale.ROOT, url, n), null,
                        Map.of("road", Duration.ofSeconds(cadence))));
                // Stagger the connects (as a deployment would): 200 RTSP handshakes at once swamp one server.
                Thread.sleep(1000L / rampPerSecond);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline && ingest.health().stream().filter(h -> h.lastFrameAt() != null).count() < cameras) {
                Thread.sleep(500);
            }
            double rampSeconds = (System.nanoTime() - start) / 1e9;
            long s0 = samples.get();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = os.getProcessCpuTime();
            long wall1 = System.nanoTime();
            long s1 = samples.get();
            System.gc();
            long rss = Pointer.physicalBytes();
            int threadCount = threads.getThreadCount();
            List<CameraHealth> health = ingest.health();
            Map<String, Long> states = health.stream().collect(Collectors.groupingBy(h -> h.state().wireName(), TreeMap::new,
                    Collectors.counting()));
            double wall = (wall1 - wall0) / 1e9;
            double cpuPercent = 100.0 * (cpu1 - cpu0) / 1e9 / wall;   // 100% = one core busy
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("cameras", cameras);
            result.put("cadenceSeconds", cadence);
            result.put("measuredSeconds", Math.round(wall));
            result.put("rampSeconds", Math.round(rampSeconds));
            result.put("cores", Runtime.getRuntime().availableProcessors());
            result.put("cpuPercentOfOneCore", Math.round(cpuPercent * 10) / 10.0);
            result.put("cpuPercentOfMachine", Math.round(cpuPercent / Runtime.getRuntime().availableProcessors() * 10) / 10.0);
            result.put("samplesPerSecond", Math.round((s1 - s0) / wall * 10) / 10.0);
            result.put("expectedSamplesPerSecond", Math.round(cameras / (double) cadence * 10) / 10.0);
            result.put("threadsBefore", threadsBase);
            result.put("threadsWithSessions", threadCount);
            result.put("rssBeforeMiB", Math.round(rssBase / 1048576.0));
            result.put("rssWithSessionsMiB", Math.round(rss / 1048576.0));
            result.put("rssPerSessionKiB", Math.round((rss - rssBase) / 1024.0 / cameras));
            result.put("heapUsedMiB", Math.round((Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0));
            result.put("states", states);
            result.put("framesDropped", health.stream().mapToLong(CameraHealth::framesDropped).sum());
            result.put("reconnects", health.stream().mapToLong(CameraHealth::reconnects).sum());
            result.put("abandonedSessions", ingest.abandonedSessions());
            Files.createDirectories(json.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
            System.out.println(new ObjectMapper().writeValueAsString(result));
            running.set(false);
            detector.join();
        }
    }
}

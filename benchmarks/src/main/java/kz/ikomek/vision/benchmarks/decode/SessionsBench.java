package kz.ikomek.vision.benchmarks.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import kz.ikomek.vision.benchmarks.Machine;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.IngestOptions;
import kz.ikomek.vision.ingest.IngestService;
import kz.ikomek.vision.ingest.IngestService.SessionCounters;
import kz.ikomek.vision.ingest.health.CameraHealth;

/**
 * Many concurrent camera sessions in one JVM at one frame per cadence: CPU, threads and resident memory per
 * session, and the samples delivered against those the cadence asks for. The RTSP server runs in another process:
 * {@code simulate} started by the bench (default), or any server given by {@code --url}.
 *
 * <pre>ikomek-vision bench sessions --cameras 200 [--cadence 2] [--seconds 60] [--ramp 20]
 *      [--url rtsp://HOST:PORT/cam-%d] [--json benchmarks/results/sessions-200.json]</pre>
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
        int rampPerSecond = 20;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--cameras" -> cameras = Integer.parseInt(args[++i]);
                case "--cadence" -> cadence = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--ramp" -> rampPerSecond = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --cameras N --cadence S --seconds S --ramp PER_S --url PATTERN --json OUT)");
            }
        }
        if (url != null && !url.contains("%d")) {
            throw new IllegalArgumentException("--url needs %d for the camera number");
        }
        if (json == null) {
            json = Path.of("benchmarks/results/sessions-" + cameras + ".json");
        }
        IngestService.loadNatives();
        SimulatorProcess sim = null;
        if (url == null) {
            sim = SimulatorProcess.start("sessions", cameras, List.of(),
                    Path.of(System.getProperty("java.io.tmpdir"), "sessions-bench-simulate.log"));
            url = sim.urlPattern();
        }
        try {
            Map<String, Object> result = run(url, cameras, cadence, seconds, rampPerSecond, sim);
            Files.createDirectories(json.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
            System.out.println(new ObjectMapper().writeValueAsString(result));
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
    }

    private static Map<String, Object> run(String url, int cameras, int cadence, int seconds, int rampPerSecond,
                                           SimulatorProcess sim) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        List<String> ids = new ArrayList<>();
        try (IngestService ingest = new IngestService(IngestOptions.defaults()); SampleDrain drain = new SampleDrain(ingest)) {
            System.gc();
            long rssBase = Machine.residentBytes();
            int threadsBase = threads.getThreadCount();
            long start = System.nanoTime();
            for (int n = 1; n <= cameras; n++) {
                String id = "cam-" + n;
                ids.add(id);
                ingest.add(new CameraSource(id, String.format(Locale.ROOT, url, n), null,
                        Map.of("road", Duration.ofSeconds(cadence))));
                // Stagger the connects (as a deployment would): a thousand RTSP handshakes at once swamp one server.
                Thread.sleep(1000L / rampPerSecond);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline
                    && ingest.health().stream().filter(h -> h.lastFrameAt() != null).count() < cameras) {
                Thread.sleep(500);
            }
            double rampSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(2L * cadence * 1000);   // let the connects' catch-up bursts pass
            Map<String, SessionCounters> c0 = counters(ingest, ids);
            long s0 = drain.samples();
            long cpu0 = os.getProcessCpuTime();
            double simCpu0 = sim == null ? 0 : sim.cpuSeconds();
            long wall0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = os.getProcessCpuTime();
            double simCpu1 = sim == null ? 0 : sim.cpuSeconds();
            long wall1 = System.nanoTime();
            long s1 = drain.samples();
            Map<String, SessionCounters> c1 = counters(ingest, ids);
            System.gc();
            long rss = Machine.residentBytes();
            int threadCount = threads.getThreadCount();
            List<CameraHealth> health = ingest.health();

            double wall = (wall1 - wall0) / 1e9;
            int cores = Runtime.getRuntime().availableProcessors();
            double cpuPercent = 100.0 * (cpu1 - cpu0) / 1e9 / wall;   // 100% = one core busy
            double expectedPerCamera = wall / cadence;
            List<Double> perCamera = ids.stream()
                    .map(id -> (double) (c1.get(id).samples() - c0.get(id).samples()) / expectedPerCamera)
                    .sorted().toList();
            long packets = ids.stream().mapToLong(id -> c1.get(id).videoPackets() - c0.get(id).videoPackets()).sum();
            long decodes = ids.stream().mapToLong(id -> c1.get(id).decodedPackets() - c0.get(id).decodedPackets()).sum();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "sessions");
            result.put("machine", Machine.describe());
            result.put("server", sim != null ? "ikomek-vision simulate --cameras " + cameras + " (own process)" : url);
            result.put("cameras", cameras);
            result.put("cadenceSeconds", cadence);
            result.put("measuredSeconds", Math.round(wall));
            result.put("rampSeconds", Math.round(rampSeconds));
            result.put("cores", cores);
            result.put("cpuPercentOfOneCore", round1(cpuPercent));
            result.put("cpuPercentOfMachine", round1(cpuPercent / cores));
            result.put("cpuMillisPerSample", s1 > s0 ? round1((cpu1 - cpu0) / 1e6 / (s1 - s0)) : null);
            result.put("samplesPerSecond", round1((s1 - s0) / wall));
            result.put("expectedSamplesPerSecond", round1(cameras / (double) cadence));
            result.put("samplesOfExpectedPerCamera", Map.of("min", round2(perCamera.get(0)),
                    "p10", round2(perCamera.get(perCamera.size() / 10)), "median", round2(perCamera.get(perCamera.size() / 2)),
                    "max", round2(perCamera.get(perCamera.size() - 1))));
            result.put("videoPacketsPerSecond", round1(packets / wall));
            result.put("decodedPacketsPerSecond", round1(decodes / wall));
            result.put("threadsBefore", threadsBase);
            result.put("threadsWithSessions", threadCount);
            result.put("rssBeforeMiB", Math.round(rssBase / 1048576.0));
            result.put("rssWithSessionsMiB", Math.round(rss / 1048576.0));
            result.put("rssPerSessionKiB", Math.round((rss - rssBase) / 1024.0 / cameras));
            result.put("heapUsedMiB", Math.round((Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0));
            result.put("states", health.stream().collect(Collectors.groupingBy(h -> h.state().wireName(), TreeMap::new,
                    Collectors.counting())));
            result.put("keyframeIntervals", health.stream().filter(h -> h.keyframeInterval() != null)
                    .collect(Collectors.groupingBy(h -> round1(h.keyframeInterval().toMillis() / 1000.0) + " s", TreeMap::new,
                            Collectors.counting())));
            result.put("framesDropped", health.stream().mapToLong(CameraHealth::framesDropped).sum());
            result.put("reconnects", health.stream().mapToLong(CameraHealth::reconnects).sum());
            result.put("abandonedSessions", ingest.abandonedSessions());
            if (sim != null) {
                result.put("simulatorCpuPercentOfOneCore", round1(100 * (simCpu1 - simCpu0) / wall));
                result.put("simulatorRssMiB", Math.round(sim.residentBytes() / 1048576.0));
            }
            return result;
        }
    }

    private static Map<String, SessionCounters> counters(IngestService ingest, List<String> ids) {
        Map<String, SessionCounters> m = new LinkedHashMap<>();
        for (String id : ids) {
            m.put(id, ingest.counters(id));
        }
        return m;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

package kz.ikomek.vision.benchmarks.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.pipeline.DetectionPipeline;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.ingest.FrameSample;
import kz.ikomek.vision.simulator.scene.Scenario;
import kz.ikomek.vision.simulator.scene.StreetScene;

/**
 * {@code ikomek-vision bench inference cost [--models DIR] [--minutes M] [--json OUT]}: the CPU the detectors spend per
 * camera at the default cadences (snow 5 min in season, flood 30 s, manholes 5 s, dumping 2 s with motion gating),
 * on the simulator's streets: two clear cameras and one of each incident scenario, one sample every 2 s of
 * simulated time (the fastest cadence), as ingest would hand them over.
 *
 * <p>Counted: the CPU time of the thread running the pipeline plus the inference thread (ONNX Runtime runs on it
 * with one intra-op thread, which this harness sets so that all model work is visible to the JVM). Not counted:
 * rendering the frames (the simulator's cost, not ours) and decoding (ingest's). The figure is CPU seconds per
 * camera per second of wall time at those cadences, and its inverse, cameras per core.
 */
public final class DetectorCostBench {

    private DetectorCostBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Path out = Path.of(opts.getOrDefault("--json", "benchmarks/results/detectors-cost.json"));
        int minutes = Integer.parseInt(opts.getOrDefault("--minutes", "10"));
        InferenceSettings settings = new InferenceSettings(1, 32, Duration.ofMillis(50));
        var files = opts.containsKey("--models") ? ModelCatalog.fromDirectory(Path.of(opts.get("--models")))
                : ModelCatalog.fromClasspath();
        Zone road = new Zone("road", List.of(new Zone.Point(0, 0.42), new Zone.Point(1, 0.42), new Zone.Point(1, 1),
                new Zone.Point(0, 1)), EnumSet.of(IncidentType.SNOW, IncidentType.FLOOD, IncidentType.OPEN_MANHOLE));
        Zone roadside = new Zone("roadside", List.of(new Zone.Point(0.45, 0.55), new Zone.Point(1, 0.55),
                new Zone.Point(1, 1), new Zone.Point(0.45, 1)), EnumSet.of(IncidentType.DUMPING));
        List<Scenario> scenarios = List.of(Scenario.CLEAR, Scenario.CLEAR, Scenario.SNOW, Scenario.FLOOD,
                Scenario.OPEN_MANHOLE, Scenario.DUMPING);
        List<CameraSite> sites = new ArrayList<>();
        List<StreetScene> scenes = new ArrayList<>();
        for (int c = 0; c < scenarios.size(); c++) {
            sites.add(new CameraSite("cam-" + c, new GeoPoint(51.1, 71.4), "bench", List.of(road, roadside)));
            scenes.add(new StreetScene(scenarios.get(c), 100 + c));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Instant t0 = Instant.parse("2026-01-15T08:00:00Z");     // January: snow is in season
        List<Object> candidates = new ArrayList<>();
        long cpu;
        long samples = 0;
        DetectionPipeline.Stats stats;
        try (SceneScorer scorer = SceneScorer.of(files, settings);
             DetectionPipeline pipeline = DetectionPipeline.builder(scorer, candidates::add).sites(sites).build()) {
            long inference0 = inferenceCpu(threads);
            long self = 0;
            for (int s = 0; s < minutes * 60; s += 2) {
                List<FrameSample> batch = new ArrayList<>();
                for (int c = 0; c < scenes.size(); c++) {
                    batch.add(new FrameSample("cam-" + c, t0.plusSeconds(s),
                            scenes.get(c).render(s % Scenario.LOOP_SECONDS).clone(), Set.of()));
                }
                samples += batch.size();
                long before = threads.getCurrentThreadCpuTime();
                pipeline.process(batch);
                self += threads.getCurrentThreadCpuTime() - before;
            }
            cpu = self + inferenceCpu(threads) - inference0;
            stats = pipeline.stats();
        } finally {
            scenes.forEach(StreetScene::close);
        }
        double cameraSeconds = scenarios.size() * minutes * 60.0;
        double perCamera = cpu / 1e9 / cameraSeconds;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "detectors CPU per camera at default cadences with motion gating (simulated streets)");
        report.put("at", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version")));
        report.put("models", files.stream().map(f -> f.card().name() + " " + f.card().version()).toList());
        report.put("cameras", scenarios.stream().map(Scenario::wireName).toList());
        report.put("simulatedMinutes", minutes);
        report.put("samples", samples);
        report.put("classifierLooks", stats.classifierLooks());
        report.put("dumpingLooks", stats.dumpingLooks());
        report.put("candidates", stats.candidates());
        report.put("vehicleChecks", stats.vehicleChecks());
        report.put("cpuSeconds", Math.round(cpu / 1e6) / 1e3);
        report.put("cpuSecondsPerCameraSecond", Math.round(perCamera * 1e6) / 1e6);
        report.put("camerasPerCore", Math.round(1 / perCamera));
        report.put("command", "ikomek-vision bench inference cost " + String.join(" ", args));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n");
        System.out.printf("%d samples, %d classifier looks, %d dumping looks (%d vehicle checks), %d candidates; %.2f CPU s"
                        + " over %d camera-s: %.5f CPU s per camera-second, about %d cameras per core%n", samples,
                stats.classifierLooks(), stats.dumpingLooks(), stats.vehicleChecks(), stats.candidates(), cpu / 1e9, (long) cameraSeconds, perCamera, Math.round(1 / perCamera));
        System.out.println("wrote " + out);
    }

    /** CPU of the batcher threads, where ONNX Runtime runs with one intra-op thread. */
    private static long inferenceCpu(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("inference-")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }
}

package kz.ikomek.vision.benchmarks.inference;

import kz.ikomek.vision.benchmarks.Machine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import kz.ikomek.vision.detectors.inference.InferenceBatcher;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.inference.OnnxModel;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;

/**
 * {@code ikomek-vision bench inference [--models DIR] [--model NAME] [--seconds S] [--rounds R] [--json OUT]}:
 * our batched inference (cross-camera batcher → DJL → ONNX Runtime, results fanned back per item) against the raw
 * ONNX Runtime Java API ({@code OrtSession.run}) on the same model file, the same session options (threads) and
 * the same batch of already pre-processed crops, batch 1, 8 and 32.
 *
 * <p>A timed harness rather than JMH forks: both sides are measured in the same JVM in alternating rounds (ours,
 * raw, raw, ours, ...), so drift on a shared machine hits both alike; the figure is the ratio of the medians of
 * the per-round mean CPU times per batch (wall times are reported too). Writes {@code benchmarks/results/inference.json} by default.
 * {@code bench inference cost ...} runs {@link DetectorCostBench} instead, {@code bench inference vehicles ...}
 * {@link VehicleDetectorBench}.
 */
public final class InferenceBench {

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cost")) {     // bench inference cost ...: the per-camera CPU cost
            DetectorCostBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("vehicles")) {   // bench inference vehicles ...: the COCO detector
            VehicleDetectorBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Map<String, String> opts = options(args);
        Path out = Path.of(opts.getOrDefault("--json", "benchmarks/results/inference.json"));
        double seconds = Double.parseDouble(opts.getOrDefault("--seconds", "2"));
        int rounds = Integer.parseInt(opts.getOrDefault("--rounds", "5"));
        List<ModelFile> files = opts.containsKey("--models") ? ModelCatalog.fromDirectory(Path.of(opts.get("--models")))
                : ModelCatalog.fromClasspath();
        if (files.isEmpty()) {
            System.err.println("bench inference: no model cards found (classpath /models/ or --models DIR)");
            System.exit(2);
        }
        ModelFile file = files.stream().filter(f -> f.card().name().equals(opts.getOrDefault("--model", f.card().name())))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no model named " + opts.get("--model")));
        // One intra-op thread: ONNX Runtime then computes on the calling thread (ours: the batcher's, raw: the
        // harness's), so the JVM sees all of its CPU time. More threads would run in native pools the JVM cannot see.
        int threads = Integer.parseInt(opts.getOrDefault("--threads", "1"));

        List<Map<String, Object>> results = new ArrayList<>();
        for (int batch : new int[] {1, 8, 32}) {
            // maxBatch = batch: the batcher fills each call to exactly this many crops, as under load.
            InferenceSettings settings = new InferenceSettings(threads, batch, Duration.ofMillis(50));
            try (OnnxModel model = new OnnxModel(file, settings);
                 InferenceBatcher batcher = new InferenceBatcher(model, batch, settings.maxWait());
                 // after DJL's engine made the process-wide environment (asking first would make DJL fail)
                 OrtEnvironment env = OrtEnvironment.getEnvironment();
                 OrtSession.SessionOptions options = settings.sessionOptions();
                 OrtSession raw = env.createSession(file.onnx(), options)) {
                int per = file.card().input().valuesPerItem();
                List<float[]> crops = crops(batch, per);
                // The best a hand-written caller can do: one direct buffer, reused, that ORT reads in place.
                FloatBuffer direct = ByteBuffer.allocateDirect(batch * per * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                long[] shape = {batch, 3, file.card().input().height(), file.card().input().width()};
                String inputName = raw.getInputNames().iterator().next();
                Runnable ours = () -> ours(batcher, crops);
                Runnable reference = () -> raw(env, raw, inputName, crops, direct, shape);
                run(ours, 1.0);                 // warm-up: JIT, ORT arenas
                run(reference, 1.0);
                double[][] oursMs = new double[rounds][];
                double[][] rawMs = new double[rounds][];
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) {
                        oursMs[r] = run(ours, seconds);
                        rawMs[r] = run(reference, seconds);
                    } else {
                        rawMs[r] = run(reference, seconds);
                        oursMs[r] = run(ours, seconds);
                    }
                }
                double oCpu = median(oursMs, 1);
                double wCpu = median(rawMs, 1);
                double oWall = median(oursMs, 0);
                double wWall = median(rawMs, 0);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("batch", batch);
                row.put("oursCpuMsPerBatch", round(oCpu));
                row.put("rawOrtCpuMsPerBatch", round(wCpu));
                row.put("ratio", round(oCpu / wCpu));
                row.put("oursWallMsPerBatch", round(oWall));
                row.put("rawOrtWallMsPerBatch", round(wWall));
                row.put("wallRatio", round(oWall / wWall));
                row.put("meanBatchSizeSeen", round(batcher.meanBatchSize()));
                row.put("oursRoundsCpuMs", Arrays.stream(oursMs).map(m -> round(m[1])).toList());
                row.put("rawOrtRoundsCpuMs", Arrays.stream(rawMs).map(m -> round(m[1])).toList());
                results.add(row);
                System.out.printf("batch %2d: CPU ours %.3f ms, raw ORT %.3f ms per batch, ratio %.3f; wall %.3f vs %.3f ms,"
                        + " ratio %.3f (mean batch seen %.1f)%n", batch, oCpu, wCpu, oCpu / wCpu, oWall, wWall,
                        oWall / wWall, batcher.meanBatchSize());
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "inference: batched DJL path vs raw ONNX Runtime Java API, same model/batch/threads");
        report.put("at", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                "java", System.getProperty("java.version"), "cpu", Machine.cpuModel()));
        report.put("model", Map.of("name", file.card().name(), "version", file.card().version(),
                "input", file.card().input().width() + "x" + file.card().input().height(), "source", file.where()));
        report.put("intraOpThreads", threads);
        report.put("secondsPerRound", seconds);
        report.put("rounds", rounds);
        report.put("goalRatio", 1.10);
        report.put("results", results);
        report.put("command", "ikomek-vision bench inference " + String.join(" ", args));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n");
        System.out.println("wrote " + out);
    }

    /** The production path for one batch: each crop submitted as a camera would, all results awaited. */
    public static void ours(InferenceBatcher batcher, List<float[]> crops) {
        List<CompletableFuture<InferenceBatcher.ItemOutput>> pending = new ArrayList<>(crops.size());
        for (float[] c : crops) {
            pending.add(batcher.submit(c, true));
        }
        float sink = 0;
        for (var p : pending) {
            sink += p.join().values()[0];
        }
        consume(sink);
    }

    /** Our runtime for crops that must not wait: each submitted alone, answered before the next. */
    public static void oursUnbatched(InferenceBatcher batcher, List<float[]> crops) {
        float sink = 0;
        for (float[] c : crops) {
            sink += batcher.submit(c, false).join().values()[0];
        }
        consume(sink);
    }

    /** Raw ORT for one batch: the crops copied into the buffer, one run, the scores read out. */
    public static void raw(OrtEnvironment env, OrtSession session, String inputName, List<float[]> crops,
                           FloatBuffer direct, long[] shape) {
        direct.clear();
        for (float[] c : crops) {
            direct.put(c);
        }
        direct.flip();
        try (OnnxTensor t = OnnxTensor.createTensor(env, direct, shape);
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            FloatBuffer scores = ((OnnxTensor) r.get(0)).getFloatBuffer();   // a copy, as DJL's toFloatArray
            consume(scores.get(0));
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static volatile float blackhole;

    private static void consume(float f) {
        blackhole = f;
    }

    /**
     * Runs {@code op} repeatedly for about {@code seconds}; {wall, CPU} milliseconds per call. CPU is this thread's
     * plus the inference threads': on a shared machine the wall clock mostly measures the neighbours (and the
     * scheduler favours a thread that sleeps between batches, like ours), CPU time measures the work.
     */
    static double[] run(Runnable op, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long cpu0 = cpu();
        long calls = 0;
        do {
            op.run();
            calls++;
        } while (System.nanoTime() < end);
        return new double[] {(System.nanoTime() - start) / 1e6 / calls, (cpu() - cpu0) / 1e6 / calls};
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long cpu() {
        long sum = THREADS.getCurrentThreadCpuTime();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("inference-")) {
                sum += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    public static List<float[]> crops(int n, int per) {
        Random random = new Random(42);
        List<float[]> crops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] c = new float[per];
            for (int k = 0; k < per; k++) {
                c[k] = (float) random.nextGaussian();
            }
            crops.add(c);
        }
        return crops;
    }

    static double median(double[][] rounds, int column) {
        double[] s = Arrays.stream(rounds).mapToDouble(r -> r[column]).toArray();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: bench inference [--models DIR] [--model NAME] [--threads N] [--seconds S] [--rounds R] [--json OUT]");
                System.exit(2);
            }
            opts.put(args[i], args[++i]);
        }
        return opts;
    }
}

package kz.ikomek.vision.benchmarks.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.ikomek.vision.benchmarks.Machine;
import kz.ikomek.vision.detectors.model.ModelCard;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ikomek-vision bench jmh [--json OUT] [JMH options] [regex ...]}: runs the JMH micro-benchmarks of this
 * package with settings short enough for a shared 2-core machine (1 fork, 3 warm-up and 5 measured iterations of
 * 2 s each; any JMH option given wins, e.g. {@code -f 3}, {@code -p batch=8}, {@code -prof gc}), writes JMH's own
 * JSON next to OUT ({@code jmh-raw.json} beside {@code jmh.json}) and OUT itself: the machine, the settings, every
 * score, and the side-by-side ratios (ours against the reference in the same class).
 */
public final class JmhMain {

    /** A figure made of two benchmarks with the same parameters: {@code of} / {@code to}. */
    private record Ratio(String name, String of, String to, String meaning) {
    }

    private static final List<Ratio> RATIOS = List.of(
            new Ratio("inference", "InferenceBenchmark.ours", "InferenceBenchmark.rawOrt",
                    "time per batch, our batched runtime / raw ONNX Runtime (goal <= 1.10)"),
            new Ratio("inferenceUnbatched", "InferenceBenchmark.oursUnbatched", "InferenceBenchmark.rawOrt",
                    "time per batch, crops submitted one by one without waiting (eval, detect, the dumping check) "
                            + "/ raw ONNX Runtime on the whole batch"),
            new Ratio("decode", "DecodeBenchmark.javacvFullDecode", "DecodeBenchmark.sessionKeyframes",
                    "time per pass of the file, JavaCV full decode / our keyframe-only session path"),
            new Ratio("bridge", "BridgeWriteBenchmark.bridgeRecord", "BridgeWriteBenchmark.rocksDbWriteBatchSync",
                    "writes per second, bridge record() 1 thread / raw synced RocksDB WriteBatch 1 thread"),
            new Ratio("bridgeGroupCommit", "BridgeWriteBenchmark.bridgeRecord4Threads",
                    "BridgeWriteBenchmark.rocksDbWriteBatchSync",
                    "writes per second, bridge record() 4 threads / raw synced RocksDB WriteBatch 1 thread"));

    private JmhMain() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of("benchmarks/results/jmh.json");
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json") && i + 1 < args.length) {
                json = Path.of(args[++i]);
            } else {
                jmhArgs.add(args[i]);
            }
        }
        CommandLineOptions given;
        try {
            given = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("bench jmh: " + e.getMessage()
                    + "; usage: bench jmh [--json OUT] [JMH options, e.g. -f 3 -p batch=8] [regex ...]");
            System.exit(2);
            return;
        }
        Path raw = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + "-raw.json");
        ChainedOptionsBuilder options = new OptionsBuilder().parent(given).shouldFailOnError(false);
        if (given.getIncludes().isEmpty()) {
            options.include(JmhMain.class.getPackageName() + "\\.");
        }
        if (!given.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!given.getWarmupIterations().hasValue()) {
            options.warmupIterations(3);
        }
        if (!given.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(2));
        }
        if (!given.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!given.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(2));
        }
        if (!given.getResult().hasValue()) {
            options.resultFormat(ResultFormatType.JSON).result(raw.toString());
        }
        Files.createDirectories(json.toAbsolutePath().getParent());
        Map<String, Object> machine = Machine.describe();
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty()) {
            System.err.println("bench jmh: no benchmark ran (none matched, or all failed: see above)");
            System.exit(1);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "JMH micro-benchmarks: decode, pre-processing, inference, trackers, bridge writes");
        report.put("command", ("ikomek-vision bench jmh " + String.join(" ", args)).trim());
        report.put("machine", machine);
        report.put("jmh", settings(results.iterator().next().getParams()));
        report.put("model", model(given));
        report.put("ratios", ratios(results));
        report.put("results", results.stream().map(JmhMain::row).toList());
        report.put("jmhResult", given.getResult().orElse(raw.toString()));
        report.put("loadAverageAfter", Machine.loadAverage());
        report.put("finishedAt", Instant.now().toString());
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report)
                + "\n");
        System.out.println();
        for (Object r : (List<?>) report.get("ratios")) {
            System.out.println("ratio " + r);
        }
        System.out.println("wrote " + json + " and " + report.get("jmhResult"));
    }

    private static Map<String, Object> settings(BenchmarkParams p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", p.getJmhVersion());
        m.put("forks", p.getForks());
        m.put("warmup", p.getWarmup().getCount() + " x " + p.getWarmup().getTime());
        m.put("measurement", p.getMeasurement().getCount() + " x " + p.getMeasurement().getTime());
        m.put("jvmArgs", p.getJvmArgs());
        return m;
    }

    /** Which model the inference and pre-processing figures are of: read from its card, never assumed. */
    private static Object model(CommandLineOptions given) {
        String name = given.getParameter("model").hasValue() ? given.getParameter("model").get().iterator().next() : "";
        try {
            ModelCard card = InferenceBenchmark.productionModel(name).card();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", card.name());
            m.put("version", card.version());
            m.put("sha256", card.sha256());
            m.put("input", card.input().width() + "x" + card.input().height());
            return m;
        } catch (RuntimeException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static String name(BenchmarkParams p) {
        String[] parts = p.getBenchmark().split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static Map<String, String> params(BenchmarkParams p) {
        Map<String, String> m = new TreeMap<>();
        for (String k : p.getParamsKeys()) {
            m.put(k, p.getParam(k));
        }
        return m;
    }

    private static Map<String, Object> row(RunResult r) {
        BenchmarkParams p = r.getParams();
        Result<?> score = r.getPrimaryResult();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", name(p));
        m.put("params", params(p));
        m.put("threads", p.getThreads());
        m.put("mode", p.getMode().shortLabel());
        m.put("score", significant(score.getScore()));
        m.put("error", significant(score.getScoreError()));
        m.put("unit", score.getScoreUnit());
        return m;
    }

    private static List<Map<String, Object>> ratios(Collection<RunResult> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Ratio ratio : RATIOS) {
            for (RunResult of : results) {
                if (!name(of.getParams()).equals(ratio.of())) {
                    continue;
                }
                for (RunResult to : results) {
                    if (name(to.getParams()).equals(ratio.to()) && params(to.getParams()).equals(params(of.getParams()))) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", ratio.name());
                        m.put("params", params(of.getParams()));
                        m.put("value", significant(of.getPrimaryResult().getScore() / to.getPrimaryResult().getScore()));
                        m.put("meaning", ratio.meaning());
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }

    private static double significant(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new BigDecimal(v).round(new MathContext(4)).doubleValue();
    }
}

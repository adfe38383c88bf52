package kz.ikomek.vision.benchmarks.jmh;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.benchmarks.inference.InferenceBench;
import kz.ikomek.vision.detectors.inference.InferenceBatcher;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.inference.OnnxModel;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One batch of already pre-processed zone crops through our runtime ({@link #ours}: each crop submitted to the
 * cross-camera {@link InferenceBatcher} as a camera would, DJL's ONNX Runtime engine, results fanned back per
 * crop) and through the raw ONNX Runtime Java API ({@link #rawOrt}: one reused direct buffer, one
 * {@code OrtSession.run}), on the same model file, the same session options and the same crops, batch 1, 8, 32.
 * Both sides are {@link InferenceBench}'s, so the timed harness ({@code bench inference}) and this one compare the
 * same two calls.
 *
 * <p>The model is the one the running pipeline loads: the first card of the models module's resources
 * ({@link SceneScorer#loadDefault()}'s source, checked by SHA-256 against its card); {@code -p model=NAME} picks
 * another card there. The settings are the production defaults ({@link InferenceSettings#defaults()}: half the
 * cores as intra-op threads) with the batcher's batch size set to {@code batch}, so every call is full.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InferenceBenchmark {

    @Param({"1", "8", "32"})
    public int batch;

    /** A card name under the classpath's {@code /models/}; empty: the first, as the pipeline uses it. */
    @Param({""})
    public String model;

    private OnnxModel onnx;
    private InferenceBatcher batcher;
    private OrtEnvironment env;
    private OrtSession.SessionOptions sessionOptions;
    private OrtSession raw;
    private String inputName;
    private List<float[]> crops;
    private FloatBuffer direct;
    private long[] shape;

    /** The model the pipeline runs (or the named card), as {@link SceneScorer#loadDefault()} finds it. */
    static ModelFile productionModel(String name) {
        List<ModelFile> files = ModelCatalog.fromClasspath();
        return files.stream().filter(f -> name == null || name.isEmpty() || f.card().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no model card " + (name == null || name.isEmpty()
                        ? "" : "named " + name + " ") + "on the classpath under /" + ModelCatalog.CLASSPATH_ROOT + "/"));
    }

    @Setup(Level.Trial)
    public void load() throws OrtException {
        ModelFile file = productionModel(model);
        InferenceSettings defaults = InferenceSettings.defaults();
        InferenceSettings settings = new InferenceSettings(defaults.intraOpThreads(), batch, defaults.maxWait());
        onnx = new OnnxModel(file, settings);
        batcher = new InferenceBatcher(onnx, batch, settings.maxWait());
        // After DJL's engine made the process-wide environment (asking first would make DJL fail).
        env = OrtEnvironment.getEnvironment();
        sessionOptions = settings.sessionOptions();
        raw = env.createSession(file.onnx(), sessionOptions);
        inputName = raw.getInputNames().iterator().next();
        var input = file.card().input();
        crops = InferenceBench.crops(batch, input.valuesPerItem());
        direct = ByteBuffer.allocateDirect(batch * input.valuesPerItem() * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        shape = new long[] {batch, 3, input.height(), input.width()};
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        batcher.close();
        onnx.close();
        raw.close();
        sessionOptions.close();
    }

    @Benchmark
    public void ours() {
        InferenceBench.ours(batcher, crops);     // publishes a score to a volatile field: not dead code
    }

    /**
     * The crops submitted without waiting for company, as {@code eval}, {@code detect} and the dumping check do: an
     * idle batcher runs each in the caller's thread (no hand-off), one model call per crop.
     */
    @Benchmark
    public void oursUnbatched() {
        InferenceBench.oursUnbatched(batcher, crops);
    }

    @Benchmark
    public void rawOrt() {
        InferenceBench.raw(env, raw, inputName, crops, direct, shape);
    }
}

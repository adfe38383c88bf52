package kz.ikomek.vision.detectors.inference;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.model.ModelFile;

/**
 * One ONNX model loaded once in DJL's ONNX Runtime engine. {@link #run} is synchronized: a DJL predictor is not
 * thread-safe, and the batcher is its only regular caller anyway. Every batch's arrays live in a sub-manager
 * closed right after the call, so native tensors never pile up.
 */
public final class OnnxModel implements AutoCloseable {

    /** A batch's output: {@code values} flattened, {@code shape[0]} = batch size. */
    public record Output(float[] values, long[] shape) {
    }

    static {
        // DJL otherwise asks the EC2 metadata service (a network call at start-up) for usage telemetry.
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private final ModelCard card;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private FloatBuffer input;     // reused across calls; guarded by this

    public OnnxModel(ModelFile file, InferenceSettings settings) {
        this.card = file.card();
        Model m = Model.newInstance(card.name(), "OnnxRuntime");
        try {
            m.load(new ByteArrayInputStream(file.onnx()), Map.of("sessionOptions", settings.sessionOptions()));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new BadInputException("model file " + file.where() + " cannot be loaded by ONNX Runtime: "
                    + e.getMessage(), e);
        }
        this.model = m;
        checkInputShape(file.where());
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    public ModelCard card() {
        return card;
    }

    /** The most items one call takes: the input's batch dimension where the export fixed it (often 1), else no limit. */
    public int maxBatch() {
        PairList<String, Shape> inputs = model.describeInput();
        if (inputs == null || inputs.isEmpty() || inputs.get(0).getValue() == null
                || inputs.get(0).getValue().dimension() == 0 || inputs.get(0).getValue().get(0) <= 0) {
            return Integer.MAX_VALUE;
        }
        return (int) inputs.get(0).getValue().get(0);
    }

    /**
     * Runs the items (each {@code card().input()}'s size and layout) as one batch. The items are copied once, into a
     * direct buffer kept for the next call, which ONNX Runtime reads in place (a heap array would be copied again
     * into a fresh direct buffer on every call).
     */
    public synchronized Output run(List<float[]> items) throws DetectorException {
        var in = card.input();
        int per = in.valuesPerItem();
        int batch = items.size();
        if (input == null || input.capacity() < batch * per) {
            input = ByteBuffer.allocateDirect(batch * per * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        input.clear();
        for (float[] item : items) {
            input.put(item, 0, per);
        }
        input.flip();
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray array = scope.create(input, new Shape(in.shape(batch)));
            array.setName(in.name());
            NDList outputs = predictor.predict(new NDList(array));
            NDArray out = pick(outputs);
            return new Output(out.toFloatArray(), out.getShape().getShape());
        } catch (TranslateException | RuntimeException e) {
            throw new DetectorException("model " + card.name() + " failed on a batch of " + batch, e);
        }
    }

    private NDArray pick(NDList outputs) {
        if (!card.outputName().isEmpty()) {
            for (NDArray a : outputs) {
                if (card.outputName().equals(a.getName())) {
                    return a;
                }
            }
        }
        return outputs.head();
    }

    private void checkInputShape(String where) {
        PairList<String, Shape> inputs = model.describeInput();
        if (inputs == null || inputs.isEmpty()) {
            return;
        }
        Shape shape = inputs.get(0).getValue();
        var in = card.input();
        if (shape == null) {
            return;
        }
        long[] expected = in.shape(-1);
        boolean fits = shape.dimension() == 4;
        for (int d = 1; fits && d < 4; d++) {
            fits = shape.get(d) <= 0 || shape.get(d) == expected[d];
        }
        if (!fits) {
            model.close();
            throw new BadInputException("model file " + where + " takes input " + shape + " but its card says "
                    + java.util.Arrays.toString(expected).replace("-1", "N"));
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}

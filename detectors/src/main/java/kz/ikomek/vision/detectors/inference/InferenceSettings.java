package kz.ikomek.vision.detectors.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Duration;

/**
 * How the runtime spends CPU.
 *
 * <p>Intra-op threads default to half the cores (at least 1): batching makes each model one big call at a time
 * from one thread, so operator-level parallelism is where ONNX Runtime can use cores, but the other half is
 * needed by the RTSP decoders and OpenCV pre-processing that feed it; ORT's default (all cores, spinning) would
 * starve them. Inter-op is 1 with sequential execution: our CNNs are chains, with no parallel branches to run.
 * Spinning is off so idle inference threads do not burn the cores the decoders need.
 *
 * @param maxBatch most zone crops in one model call
 * @param maxWait  how long the first crop of a batch waits for others (from other cameras) to join it
 */
public record InferenceSettings(int intraOpThreads, int maxBatch, Duration maxWait) {

    public InferenceSettings {
        if (intraOpThreads < 1 || maxBatch < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("intraOpThreads and maxBatch must be >= 1, maxWait >= 0; got "
                    + intraOpThreads + ", " + maxBatch + ", " + maxWait);
        }
    }

    public static InferenceSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new InferenceSettings(Math.max(1, cores / 2), 32, Duration.ofMillis(50));
    }

    /** The ORT session options these settings stand for; the raw-ORT benchmark uses the very same. */
    public OrtSession.SessionOptions sessionOptions() {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            return options;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused its session options", e);
        }
    }
}

package kz.ikomek.vision.models.eval;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.inference.OnnxModel;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Inference cost per image of each shipped model on this machine, through the Java runtime: the model call
 * alone at batch 1 and 16 (DJL + ONNX Runtime with the production session options), and a whole 640x360 frame
 * through {@link SceneScorer} (crop, resize, normalise, batcher, model, decode). The model card records the
 * numbers; run with {@code java -cp ... kz.ikomek.vision.models.eval.InferenceCost [MODEL_DIR]}.
 */
public final class InferenceCost {

    private InferenceCost() {
    }

    public static void main(String[] args) throws Exception {
        List<ModelFile> files = args.length > 0 ? ModelCatalog.fromDirectory(Path.of(args[0])) : ModelCatalog.fromClasspath();
        InferenceSettings settings = InferenceSettings.defaults();
        System.out.printf(Locale.ROOT, "%d cores, ORT intra-op threads %d%n",
                Runtime.getRuntime().availableProcessors(), settings.intraOpThreads());
        for (ModelFile file : files) {
            try (OnnxModel model = new OnnxModel(file, settings)) {
                int values = model.card().input().valuesPerItem();
                // The object detector's export fixes its batch at one frame per call.
                int[] batches = file.card().kind() == ModelCard.Kind.DETECTIONS ? new int[] {1} : new int[] {1, 16};
                for (int batch : batches) {
                    List<float[]> items = new ArrayList<>();
                    for (int i = 0; i < batch; i++) {
                        items.add(new float[values]);
                    }
                    for (int i = 0; i < 10; i++) {
                        model.run(items);
                    }
                    int reps = batch == 1 ? 200 : 30;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < reps; i++) {
                        model.run(items);
                    }
                    double ms = (System.nanoTime() - t0) / 1e6 / reps / batch;
                    System.out.printf(Locale.ROOT, "%s model call, batch %d: %.2f ms per image%n",
                            model.card().name(), batch, ms);
                }
            }
        }
        try (SceneScorer scorer = SceneScorer.of(files, settings);
             Mat frame = new Mat(360, 640, CV_8UC3, new Scalar(90, 100, 110, 0))) {   // cost does not depend on content
            for (int i = 0; i < 10; i++) {
                scorer.scoreWholeFrame(frame);
            }
            int reps = 200;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                scorer.scoreWholeFrame(frame);
            }
            System.out.printf(Locale.ROOT, "whole 640x360 frame through SceneScorer (all %d types): %.2f ms%n",
                    IncidentType.values().length, (System.nanoTime() - t0) / 1e6 / reps);
        }
    }
}

package kz.ikomek.vision.models.eval;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.scene.Score;
import kz.ikomek.vision.models.eval.EvalReport.LabelResult;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Scores a labelled folder through the production scoring path ({@link SceneScorer#scoreWholeFrame}: the same
 * cards, SHA-256 check, zone pre-processing, ONNX Runtime, activation and thresholds as a running camera, with one
 * zone covering the whole frame). An image under DIR/L is a positive for L and a negative for every other label;
 * {@code clear} is predicted when no type is positive.
 */
public final class Evaluation {

    private final SceneScorer scorer;

    public Evaluation(SceneScorer scorer) {
        this.scorer = scorer;
    }

    public EvalReport run(List<LabelledImages.LabelledImage> images) throws Exception {
        return run(images, (image, scores) -> { });
    }

    /** As {@link #run(List)}, handing each scored image's scores to {@code each} (for per-image output). */
    public EvalReport run(List<LabelledImages.LabelledImage> images,
                          BiConsumer<LabelledImages.LabelledImage, Map<IncidentType, Score>> each) throws Exception {
        // A bring-your-own model may score some types only: those are evaluated, and "clear" means quiet on them.
        Set<IncidentType> covered = scorer.types();
        Map<String, Confusion> confusion = new LinkedHashMap<>();
        covered.forEach(type -> confusion.put(type.wireName(), new Confusion()));   // in type order
        confusion.put("clear", new Confusion());
        Map<String, Double> thresholds = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        int scored = 0;
        for (LabelledImages.LabelledImage image : images) {
            // imread decodes JPEG and PNG to BGR, as the ingest path hands frames on; it returns an empty Mat
            // rather than throwing for a corrupt or non-image file.
            Mat bgr = imread(image.path().toString(), IMREAD_COLOR);
            try {
                if (bgr == null || bgr.empty()) {
                    unreadable.add(image.path() + ": not a decodable JPEG/PNG image");
                    continue;
                }
                Map<IncidentType, Score> scores = scorer.scoreWholeFrame(bgr);
                boolean anyPositive = false;
                for (IncidentType type : covered) {
                    Score s = scores.get(type);
                    thresholds.put(type.wireName(), s.threshold());
                    confusion.get(type.wireName()).add(image.label().equals(type.wireName()), s.positive());
                    anyPositive |= s.positive();
                }
                confusion.get("clear").add(image.label().equals("clear"), !anyPositive);
                each.accept(image, scores);
                scored++;
            } finally {
                if (bgr != null) {
                    bgr.close();
                }
            }
        }
        Map<String, LabelResult> results = new LinkedHashMap<>();
        confusion.forEach((label, c) -> results.put(label, LabelResult.of(c, thresholds.get(label))));
        return new EvalReport(scored, results, unreadable);
    }
}

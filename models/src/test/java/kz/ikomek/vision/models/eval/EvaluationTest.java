package kz.ikomek.vision.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import java.nio.file.Files;
import java.nio.file.Path;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness on the shipped models through the real SceneScorer (ONNX Runtime), on images made here. */
class EvaluationTest {

    @TempDir
    Path dir;

    private static void image(Path file, double b, double g, double r) {
        try (Mat m = new Mat(360, 640, CV_8UC3, new Scalar(b, g, r, 0))) {
            assertThat(imwrite(file.toString(), m)).isTrue();
        }
    }

    @Test
    void every_readable_image_is_counted_once_per_label_and_broken_files_are_reported() throws Exception {
        Files.createDirectories(dir.resolve("clear"));
        Files.createDirectories(dir.resolve("snow"));
        image(dir.resolve("clear/grey.png"), 128, 128, 128);
        image(dir.resolve("clear/asphalt.jpg"), 60, 62, 64);
        image(dir.resolve("snow/white.png"), 245, 245, 240);
        Files.writeString(dir.resolve("snow/broken.jpg"), "not a jpeg");

        EvalReport report;
        try (SceneScorer scorer = SceneScorer.loadDefault()) {
            report = new Evaluation(scorer).run(LabelledImages.scan(dir));
            ModelCard snowCard = scorer.batcherFor(IncidentType.SNOW).model().card();
            assertThat(report.labels().get("snow").threshold())
                    .isEqualTo(snowCard.threshold(IncidentType.SNOW));
        }

        assertThat(report.images()).isEqualTo(3);
        assertThat(report.unreadable()).singleElement().asString().contains("broken.jpg");
        assertThat(report.labels().keySet()).containsExactly("snow", "flood", "open_manhole", "dumping", "clear");
        report.labels().forEach((label, r) ->
                assertThat(r.tp() + r.fp() + r.fn() + r.tn()).as(label).isEqualTo(3));
        assertThat(report.labels().get("snow").tp() + report.labels().get("snow").fn()).isEqualTo(1);
        assertThat(report.labels().get("clear").tp() + report.labels().get("clear").fn()).isEqualTo(2);
        assertThat(report.labels().get("clear").threshold()).isNull();
    }
}

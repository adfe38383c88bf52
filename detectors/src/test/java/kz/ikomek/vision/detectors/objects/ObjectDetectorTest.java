package kz.ikomek.vision.detectors.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.time.Duration;
import java.util.Set;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.TestModels;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The object detector through real ONNX Runtime on the NHWC test model (fixed rows: truck 0.9 everywhere, person 0.8). */
class ObjectDetectorTest {

    static ModelFile model(String name) {
        return ModelCatalog.fromDirectory(TestModels.dir()).stream().filter(m -> m.card().name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void detections_come_back_in_frame_pixels_of_the_asked_labels_only() throws Exception {
        try (ObjectDetector d = new ObjectDetector(model("tinyvehicles"), new InferenceSettings(1, 1, Duration.ZERO));
             Mat frame = new Mat(360, 640, CV_8UC3, new Scalar(90, 100, 110, 0))) {
            assertThat(d.detect(frame, new Box(300, 100, 128, 128), Set.of("truck", "car")))
                    .containsExactly(new Detection("truck", 0.9f, new Box(300, 100, 128, 128)));
            assertThat(d.detect(frame, new Box(0, 0, 64, 64), Set.of("person", "truck")))
                    .extracting(Detection::label, Detection::box)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("truck", new Box(0, 0, 64, 64)),
                            org.assertj.core.groups.Tuple.tuple("person", new Box(0, 0, 32, 32)));
            assertThat(d.calls()).isEqualTo(2);
        }
    }

    @Test
    void a_classifier_card_is_not_taken_for_an_object_detector() {
        assertThatThrownBy(() -> new ObjectDetector(model("tiny"), new InferenceSettings(1, 1, Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an object detector");
    }
}

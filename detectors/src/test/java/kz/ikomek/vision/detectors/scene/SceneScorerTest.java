package kz.ikomek.vision.detectors.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.TestModels;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.inference.PreparedFrame;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneScorerTest {

    static SceneScorer scorer;

    @BeforeAll
    static void load() {
        List<ModelFile> tiny = ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> m.card().name().equals("tiny")).toList();
        scorer = SceneScorer.of(tiny, new InferenceSettings(1, 8, Duration.ofMillis(50)));
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    static Mat solid(double b, double g, double r) {
        return new Mat(90, 160, CV_8UC3, new Scalar(b, g, r, 0));
    }

    @Test
    void a_white_frame_is_snow_and_nothing_else() throws Exception {
        try (Mat white = solid(255, 255, 255)) {
            Map<IncidentType, Score> s = scorer.scoreWholeFrame(white);
            assertThat(s).containsOnlyKeys(IncidentType.values());
            assertThat(s.get(IncidentType.SNOW).positive()).isTrue();
            assertThat(s.get(IncidentType.SNOW).score()).isGreaterThan(0.95);
            assertThat(s.get(IncidentType.FLOOD).positive()).isFalse();
            assertThat(s.get(IncidentType.OPEN_MANHOLE).positive()).isFalse();
            assertThat(s.get(IncidentType.SNOW).box()).isNull();
        }
    }

    @Test
    void a_configured_threshold_replaces_the_cards() throws Exception {
        List<ModelFile> tiny = ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> m.card().name().equals("tiny")).toList();
        try (Mat white = solid(255, 255, 255);
             SceneScorer strict = SceneScorer.of(tiny, new InferenceSettings(1, 8, Duration.ofMillis(50)))) {
            double snow = strict.scoreWholeFrame(white).get(IncidentType.SNOW).score();
            strict.overrideThresholds(Map.of(IncidentType.SNOW, Math.min(1.0, snow + 1e-6)));
            Score s = strict.scoreWholeFrame(white).get(IncidentType.SNOW);
            assertThat(s.threshold()).isEqualTo(Math.min(1.0, snow + 1e-6));
            assertThat(s.positive()).isFalse();
            assertThat(strict.scoreWholeFrame(white).get(IncidentType.FLOOD).threshold())
                    .isEqualTo(scorer.scoreWholeFrame(white).get(IncidentType.FLOOD).threshold());
        }
    }

    @Test
    void channel_order_reaches_the_model_as_rgb() throws Exception {
        try (Mat blueBgr = solid(255, 0, 0); Mat redBgr = solid(0, 0, 255)) {
            assertThat(scorer.scoreWholeFrame(blueBgr).get(IncidentType.FLOOD).positive()).isTrue();
            assertThat(scorer.scoreWholeFrame(blueBgr).get(IncidentType.DUMPING).positive()).isFalse();
            assertThat(scorer.scoreWholeFrame(redBgr).get(IncidentType.DUMPING).positive()).isTrue();
        }
    }

    @Test
    void zones_are_scored_separately_and_outside_the_polygon_is_masked() throws Exception {
        try (Mat frame = solid(255, 255, 255)) {
            // bottom half black (an open manhole for the tiny model), top half white (snow)
            frame.rowRange(45, 90).put(new Scalar(0, 0, 0, 0));
            Zone top = Zone.rectangle("top", 0, 0, 1, 0.5, EnumSet.allOf(IncidentType.class));
            // a triangle over the black half: its bounding box is all black, and the mask fills the rest
            // with the mean colour, which is neutral, so the zone still reads as dark
            Zone bottom = new Zone("bottom", List.of(new Zone.Point(0, 0.5), new Zone.Point(1, 0.5),
                    new Zone.Point(0, 1)), EnumSet.of(IncidentType.OPEN_MANHOLE, IncidentType.SNOW));
            var s = scorer.score(frame, List.of(top, bottom));
            assertThat(s.keySet()).containsExactly("top", "bottom");
            assertThat(s.get("top").get(IncidentType.SNOW).positive()).isTrue();
            assertThat(s.get("bottom")).containsOnlyKeys(IncidentType.OPEN_MANHOLE, IncidentType.SNOW);
            assertThat(s.get("bottom").get(IncidentType.OPEN_MANHOLE).positive()).isTrue();
            assertThat(s.get("bottom").get(IncidentType.SNOW).positive()).isFalse();
        }
    }

    @Test
    void one_crop_per_zone_serves_every_type_and_crops_of_many_cameras_share_a_batch() {
        Zone zone = Zone.wholeFrame();
        List<Mat> frames = List.of(solid(255, 255, 255), solid(0, 0, 0), solid(255, 0, 0), solid(0, 0, 255));
        try {
            List<PreparedFrame> prepared = frames.stream().map(PreparedFrame::new).toList();
            List<CompletableFuture<Map<IncidentType, Score>>> pending = prepared.stream()
                    .map(f -> scorer.scoreZone(f, zone, EnumSet.allOf(IncidentType.class), true)).toList();
            pending.forEach(CompletableFuture::join);
            assertThat(prepared).allSatisfy(f -> assertThat(f.cropsMade()).isEqualTo(1));
            assertThat(pending.get(1).join().get(IncidentType.OPEN_MANHOLE).positive()).isTrue();
            assertThat(pending.get(3).join().get(IncidentType.DUMPING).positive()).isTrue();
            // four cameras' crops submitted within the batch window run as one call
            assertThat(scorer.batcherFor(IncidentType.SNOW).meanBatchSize()).isGreaterThan(1.0);
        } finally {
            frames.forEach(Mat::close);
        }
    }

    @Test
    void a_yolo_model_gives_its_best_box_in_frame_pixels() throws Exception {
        List<ModelFile> yolo = ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> m.card().name().equals("tinyyolo")).toList();
        try (SceneScorer detector = SceneScorer.of(yolo, new InferenceSettings(1, 8, Duration.ZERO));
             Mat frame = new Mat(128, 128, CV_8UC3, new Scalar(255, 0, 0, 0))) {   // blue: "pile" fires
            assertThat(detector.types()).containsExactly(IncidentType.DUMPING);
            Score s = detector.scoreWholeFrame(frame).get(IncidentType.DUMPING);
            // box 2 of the test model (weight 1.0): cx 32, cy 40, w 24, h 16 in 64x64 input → x2 in a 128 frame
            assertThat(s.box()).isEqualTo(new kz.ikomek.vision.detectors.Box(40, 64, 48, 32));
            assertThat(s.score()).isGreaterThan(0.8);
            assertThat(s.positive()).isTrue();
        }
    }

    /** A second card on the tiny model's file, named "confirm", whose thresholds tell its scores apart. */
    private static ModelFile confirming(String screen) throws Exception {
        String card = Files.readString(TestModels.dir().resolve("tiny.card.json"))
                .replace("\"name\": \"tiny\"", "\"name\": \"confirm\"")
                .replace("\"snow\": 0.5", "\"snow\": 0.9")
                .replace("\"open_manhole\": 0.5", "\"open_manhole\": 0.45")
                .replaceFirst("\\{", "{\"screen\": " + screen + ",");
        return new ModelFile(ModelCard.parse(card.getBytes(java.nio.charset.StandardCharsets.UTF_8), "confirm"),
                Files.readAllBytes(TestModels.dir().resolve("tiny.onnx")), "confirm.onnx");
    }

    @Test
    void a_screened_type_runs_the_confirming_model_only_on_what_the_screen_lets_through() throws Exception {
        List<ModelFile> files = new java.util.ArrayList<>(ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> m.card().name().equals("tiny")).toList());
        files.add(confirming("{\"model\": \"tiny\", \"below\": {\"snow\": 0.5}}"));
        try (SceneScorer cascade = SceneScorer.of(files, new InferenceSettings(1, 8, Duration.ZERO));
             Mat white = solid(255, 255, 255); Mat black = solid(0, 0, 0)) {
            Score snowy = cascade.scoreWholeFrame(white).get(IncidentType.SNOW);
            assertThat(snowy.threshold()).as("the confirming card decides").isEqualTo(0.9);
            assertThat(snowy.positive()).isTrue();
            assertThat(cascade.screened(IncidentType.SNOW)).containsExactly(0, 1);

            Score dark = cascade.scoreWholeFrame(black).get(IncidentType.SNOW);
            assertThat(dark.positive()).isFalse();
            assertThat(dark.threshold()).isEqualTo(0.9);
            assertThat(dark.score()).isLessThan(0.5);
            assertThat(cascade.screened(IncidentType.SNOW)).containsExactly(1, 1);
            // the card with a screen decides its other types directly, although "tiny" sorts first
            Score manhole = cascade.scoreWholeFrame(black).get(IncidentType.OPEN_MANHOLE);
            assertThat(manhole.threshold()).isEqualTo(0.45);
            assertThat(manhole.positive()).isTrue();
            assertThat(cascade.screened(IncidentType.OPEN_MANHOLE)).containsExactly(0, 0);
        }
    }

    @Test
    void a_screen_that_is_not_loaded_or_a_type_the_card_does_not_score_is_refused() throws Exception {
        ModelFile orphan = confirming("{\"model\": \"nowhere\", \"below\": {\"snow\": 0.5}}");
        assertThatThrownBy(() -> SceneScorer.of(List.of(orphan), new InferenceSettings(1, 8, Duration.ZERO)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("screen.model 'nowhere' is not among the loaded models");
        assertThatThrownBy(() -> confirming("{\"model\": \"tiny\", \"below\": {\"truck\": 0.5}}"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("screen.below.truck: not an incident type this model scores");
    }

    @Test
    void a_model_file_that_differs_from_its_card_is_refused_naming_both_hashes(@TempDir Path dir) throws Exception {
        Files.copy(TestModels.dir().resolve("tiny.card.json"), dir.resolve("tiny.card.json"));
        byte[] onnx = Files.readAllBytes(TestModels.dir().resolve("tiny.onnx"));
        onnx[onnx.length - 1] ^= 1;
        Files.write(dir.resolve("tiny.onnx"), onnx);
        assertThatThrownBy(() -> SceneScorer.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(dir.resolve("tiny.onnx").toString())
                .hasMessageContaining("63af5bed21bf411c4ba705ee3155eafe7777ad06b77ce94172701f39596af98f")
                .hasMessageContaining(ModelCardHex.of(onnx));
    }

    /** The hash the refusal must name for the tampered bytes. */
    private static final class ModelCardHex {
        static String of(byte[] b) {
            return kz.ikomek.vision.detectors.model.ModelCard.sha256Hex(b);
        }
    }
}

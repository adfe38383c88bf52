package kz.ikomek.vision.app;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.scene.Score;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.detectors.zone.ZoneFile;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code detect --image FILE [--zones FILE] [--models DIR]}: every detector's model on one image, as JSON on
 * stdout, through the same {@link SceneScorer} path the running pipeline uses.
 */
@Command(name = "detect", mixinStandardHelpOptions = true, description = "Run all detectors on one image and print JSON: one result per type (per zone with --zones).")
final class DetectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "a JPEG/PNG/BMP/... image")
    Path image;

    @Option(names = "--zones", paramLabel = "FILE",
            description = "YAML or JSON list of zones {id, polygon: [[x, y], ...] normalized 0..1, detectors: [...]}")
    Path zones;

    @Mixin
    ModelsOption models = new ModelsOption();

    @Override
    public Integer call() throws Exception {
        List<Zone> zoneList = zones == null ? List.of(Zone.wholeFrame()) : ZoneFile.read(zones);
        try (Mat bgr = read(image); SceneScorer scorer = models.open()) {
            Map<String, Map<IncidentType, Score>> scores = scorer.score(bgr, zoneList);
            List<Map<String, Object>> results = new ArrayList<>();
            for (Zone zone : zoneList) {
                Map<IncidentType, Score> byType = scores.get(zone.id());
                for (IncidentType type : IncidentType.values()) {
                    Score s = byType.get(type);
                    if (s == null) {
                        continue;   // no model scores this type, or the zone does not read it
                    }
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("type", type.wireName());
                    r.put("zone", zone.id());
                    r.put("score", Math.round(s.score() * 10_000) / 10_000.0);
                    r.put("positive", s.positive());
                    Box b = s.box();
                    r.put("box", b == null ? null : List.of(b.x(), b.y(), b.width(), b.height()));
                    results.add(r);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image", image.toString());
            out.put("width", bgr.cols());
            out.put("height", bgr.rows());
            out.put("results", results);
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private static Mat read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("image " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new BadInputException("image " + file + ": not readable (check its permissions)");
        }
        Mat bgr = imread(file.toString(), IMREAD_COLOR);
        if (bgr == null || bgr.empty()) {
            if (bgr != null) {
                bgr.close();
            }
            throw new BadInputException("image " + file + ": not an image OpenCV can decode (JPEG, PNG, BMP, WebP, TIFF...)");
        }
        return bgr;
    }
}

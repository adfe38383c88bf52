package kz.ikomek.vision.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kz.ikomek.vision.app.standalone.ConfigMapping;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.scene.Score;
import kz.ikomek.vision.detectors.track.DumpingPolicy;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.simulator.scene.Scenario;
import kz.ikomek.vision.simulator.scene.StreetScene;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * How a model scores the demo's twelve rendered streets, look by look, with the demo's zones and site thresholds:
 * per street and type, the median score and how many looks reach the threshold. It is the minute-long check of a
 * candidate model against the demo (DemoScenariosIT, with its trackers, takes minutes and only says pass or fail):
 * a model whose snowy streets score like its clear ones cannot be rescued by a site threshold.
 *
 * <p>Snow, flood and open manhole are the road zone's scores, every second of the loop once the incident is full
 * (the lead-in of an empty street is not asked). Dumping is what the dumping tracker asks: the left-behind heap's box
 * with the tracker's context around it, after the truck is gone; streets without a heap have no such question.
 */
final class DemoStreetScores {

    private static final List<IncidentType> ROAD_TYPES =
            List.of(IncidentType.SNOW, IncidentType.FLOOD, IncidentType.OPEN_MANHOLE);

    /** One street's looks at one type. */
    record Looks(double median, int above, int looks, double threshold) {
    }

    record Street(String camera, Scenario scenario, Map<IncidentType, Looks> byType) {
    }

    private final List<Street> streets;

    private DemoStreetScores(List<Street> streets) {
        this.streets = streets;
    }

    /** Renders each demo street for one loop (one look a second) and scores it with {@code scorer}. */
    static DemoStreetScores measure(SceneScorer scorer) throws IOException, DetectorException {
        Path dir = Path.of("data", "demo").toAbsolutePath();   // named by the config, nothing is written there
        VisionConfig config = DemoCommand.offlineConfig(dir);
        scorer.overrideThresholds(ConfigMapping.thresholdOverrides(config));
        double context = DumpingPolicy.defaults().pileContext();
        List<Street> streets = new ArrayList<>();
        for (int n = 1; n <= DemoCommand.SCENARIOS.length; n++) {
            Scenario scenario = DemoCommand.SCENARIOS[n - 1];
            CameraSite site = ConfigMapping.cameraSite(config.cameras().get(n - 1));
            Zone road = site.zone("road").orElseThrow(() -> new IllegalStateException("demo preset has no road zone"));
            Map<IncidentType, List<Score>> looks = new EnumMap<>(IncidentType.class);
            try (StreetScene scene = new StreetScene(scenario, DemoCommand.street(n))) {
                for (int t = firstFullSecond(scenario); t < Scenario.LOOP_SECONDS; t++) {
                    Mat frame = scene.render(t);
                    Map<IncidentType, Score> scores = scorer.score(frame, List.of(road)).get(road.id());
                    for (IncidentType type : ROAD_TYPES) {
                        if (scores.containsKey(type)) {
                            looks.computeIfAbsent(type, k -> new ArrayList<>()).add(scores.get(type));
                        }
                    }
                    int[] heap = scenario == Scenario.DUMPING && !scene.truckInView(t) ? scene.incidentBox(t) : null;
                    if (heap != null && scorer.types().contains(IncidentType.DUMPING)) {
                        Box asked = new Box(heap[0], heap[1], heap[2], heap[3])
                                .withContext(context, StreetScene.WIDTH, StreetScene.HEIGHT);
                        looks.computeIfAbsent(IncidentType.DUMPING, k -> new ArrayList<>())
                                .add(scorer.scoreRegion(frame, asked, IncidentType.DUMPING));
                    }
                }
            }
            Map<IncidentType, Looks> byType = new EnumMap<>(IncidentType.class);
            looks.forEach((type, scores) -> byType.put(type, summary(scores)));
            streets.add(new Street(site.cameraId(), scenario, byType));
        }
        return new DemoStreetScores(streets);
    }

    /** The demo shows its empty street for a lead-in and then builds up the incident; ask once it is all there. */
    private static int firstFullSecond(Scenario scenario) {
        return switch (scenario) {
            case SNOW -> (int) Scenario.SNOW_FULL_AT;
            case FLOOD -> (int) Scenario.FLOOD_FULL_AT;
            case OPEN_MANHOLE -> (int) Scenario.MANHOLE_OPEN_AT;
            case DUMPING -> (int) Scenario.TRUCK_GONE_AT;
            case CLEAR -> 0;
        };
    }

    private static Looks summary(List<Score> scores) {
        double[] s = scores.stream().mapToDouble(Score::score).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        int above = (int) scores.stream().filter(Score::positive).count();
        return new Looks(median, above, s.length, scores.get(0).threshold());
    }

    /**
     * Per street a row, per type "median above/looks", the street's own type starred; then per type the lowest
     * median of its own streets against the highest of the others (the margin a site threshold has to work in).
     */
    String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s %-13s", "street", "scenario"));
        for (IncidentType type : IncidentType.values()) {
            out.append(String.format(Locale.ROOT, " %-22s", type.wireName() + " " + thresholdOf(type)));
        }
        out.append('\n');
        for (Street street : streets) {
            out.append(String.format(Locale.ROOT, "%-8s %-13s", street.camera(), street.scenario().wireName()));
            for (IncidentType type : IncidentType.values()) {
                Looks l = street.byType().get(type);
                String own = street.scenario().wireName().equals(type.wireName()) ? "*" : " ";
                out.append(String.format(Locale.ROOT, " %-22s", l == null ? "-"
                        : String.format(Locale.ROOT, "%s%.2f %d/%d", own, l.median(), l.above(), l.looks())));
            }
            out.append('\n');
        }
        out.append("median score (* the street's own type) and looks at or above the threshold\n");
        for (IncidentType type : IncidentType.values()) {
            Street lowOwn = null;
            Street highOther = null;
            for (Street s : streets) {
                Looks l = s.byType().get(type);
                if (l == null) {
                    continue;
                }
                if (s.scenario().wireName().equals(type.wireName())) {
                    lowOwn = lowOwn == null || l.median() < lowOwn.byType().get(type).median() ? s : lowOwn;
                } else {
                    highOther = highOther == null || l.median() > highOther.byType().get(type).median() ? s : highOther;
                }
            }
            if (lowOwn != null) {
                out.append(String.format(Locale.ROOT, "%-13s lowest own street %s %.2f, highest other %s%n",
                        type.wireName(), lowOwn.camera(), lowOwn.byType().get(type).median(), highOther == null
                                ? "-" : String.format(Locale.ROOT, "%s %.2f", highOther.camera(),
                                highOther.byType().get(type).median())));
            }
        }
        return out.toString();
    }

    private String thresholdOf(IncidentType type) {
        return streets.stream().map(s -> s.byType().get(type)).filter(l -> l != null).findFirst()
                .map(l -> String.format(Locale.ROOT, "(%.2f)", l.threshold())).orElse("");
    }

    void writeJson(Path out) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("streets");
        for (Street street : streets) {
            ObjectNode s = list.addObject().put("camera", street.camera()).put("scenario", street.scenario().wireName());
            ObjectNode types = s.putObject("types");
            street.byType().forEach((type, l) -> types.putObject(type.wireName())
                    .put("median", Math.round(l.median() * 10000) / 10000.0).put("above", l.above())
                    .put("looks", l.looks()).put("threshold", l.threshold()));
        }
        mapper.writeValue(out.toFile(), root);
    }
}

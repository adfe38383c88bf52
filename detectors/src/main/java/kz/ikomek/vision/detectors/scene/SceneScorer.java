package kz.ikomek.vision.detectors.scene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.inference.InferenceBatcher;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.inference.OnnxModel;
import kz.ikomek.vision.detectors.inference.PreparedFrame;
import kz.ikomek.vision.detectors.inference.ZoneCrop;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;
import kz.ikomek.vision.detectors.objects.ObjectDetector;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores images with the project's models, through exactly the production path: model cards checked by SHA-256,
 * models loaded once in DJL's ONNX Runtime engine, zone crops pre-processed once per frame and zone, the
 * cross-camera batcher, the card's activation and thresholds. {@code eval}, {@code detect} and the running
 * pipeline all go through here, so what eval measures is what runs.
 *
 * <pre>{@code
 * try (SceneScorer scorer = SceneScorer.loadDefault()) {          // cards + ONNX from classpath /models/
 *     Map<IncidentType, Score> s = scorer.scoreWholeFrame(bgr);   // one Score per type some model covers
 *     boolean snowy = s.get(IncidentType.SNOW).positive();
 *     Map<String, Map<IncidentType, Score>> byZone = scorer.score(bgr, zones);  // per zone id
 * }
 * }</pre>
 * {@link #load(Path)} reads a directory of {@code NAME.card.json} + {@code NAME.onnx} instead (bring your own
 * model). Each incident type is scored by the first model (by card file name) whose labels cover it, unless
 * a model's card names a {@linkplain ModelCard.Screen screen}: that model then decides every type it scores,
 * and for the types its screen lists the screen looks first and the model confirms only what the screen lets
 * through (a cascade). A model covering several types runs once per zone for all of them. Thread-safe; close it to stop the inference threads and
 * release the models.
 */
public final class SceneScorer implements AutoCloseable {

    private volatile Map<IncidentType, Double> thresholdOverrides = Map.of();

    private static final Logger log = LoggerFactory.getLogger(SceneScorer.class);

    private final List<OnnxModel> models = new ArrayList<>();
    private final List<InferenceBatcher> batchers = new ArrayList<>();
    private final Map<IncidentType, InferenceBatcher> byType = new EnumMap<>(IncidentType.class);
    private final Map<IncidentType, Screen> screens = new EnumMap<>(IncidentType.class);

    /** The cheaper model that looks first for a type, the score of its that lets a look through, and counts. */
    private record Screen(InferenceBatcher batcher, double below, LongAdder stopped, LongAdder passed) {
    }
    private ObjectDetector objects;

    private SceneScorer(List<ModelFile> files, InferenceSettings settings) {
        if (files.isEmpty()) {
            throw new BadInputException("no model cards found; expected NAME.card.json next to NAME.onnx");
        }
        try {
            for (ModelFile file : files) {
                if (file.card().kind() == ModelCard.Kind.DETECTIONS) {
                    if (objects == null) {
                        objects = new ObjectDetector(file, settings);
                    } else {
                        log.warn("object detectors {} and {}; using {}", objects.card().name(), file.card().name(),
                                objects.card().name());
                    }
                    continue;
                }
                OnnxModel model = new OnnxModel(file, settings);
                models.add(model);
                InferenceBatcher batcher = new InferenceBatcher(model, Math.min(settings.maxBatch(), model.maxBatch()),
                        settings.maxWait());
                batchers.add(batcher);
                for (IncidentType t : IncidentType.values()) {
                    if (model.card().indexOf(t) < 0) {
                        continue;
                    }
                    InferenceBatcher already = byType.putIfAbsent(t, batcher);
                    if (already != null) {
                        // How a specialist replaces a general model for some types (ikomek-city sorts before
                        // ikomek-incidents), so it is expected, not a warning; the line says which model decides.
                        log.info("models {} and {} both score {}; the first by name, {}, decides",
                                already.model().card().name(), file.card().name(), t, already.model().card().name());
                    }
                }
            }
            cascade();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        EnumSet<IncidentType> missing = EnumSet.complementOf(EnumSet.copyOf(withAll(byType.keySet())));
        if (!missing.isEmpty()) {
            log.warn("no model scores {}; those detectors are off", missing);
        }
    }

    /** A card that names a screen decides all its types, with the screen in front of those it lists. */
    private void cascade() {
        for (InferenceBatcher confirm : batchers) {
            ModelCard card = confirm.model().card();
            if (card.screen().isEmpty()) {
                continue;
            }
            ModelCard.Screen wanted = card.screen().get();
            InferenceBatcher screen = batchers.stream().filter(b -> b.model().card().name().equals(wanted.model()))
                    .findFirst().orElseThrow(() -> new BadInputException("model card " + card.name()
                            + ": screen.model '" + wanted.model() + "' is not among the loaded models "
                            + cards().stream().map(ModelCard::name).toList()));
            for (IncidentType t : IncidentType.values()) {
                if (card.indexOf(t) >= 0) {
                    byType.put(t, confirm);
                }
            }
            for (var e : wanted.below().entrySet()) {
                if (screen.model().card().indexOf(e.getKey()) < 0) {
                    throw new BadInputException("model card " + card.name() + ": screen.below." + e.getKey()
                            + ": the screen " + wanted.model() + " does not score it");
                }
                byType.put(e.getKey(), confirm);
                screens.put(e.getKey(), new Screen(screen, e.getValue(), new LongAdder(), new LongAdder()));
            }
        }
        byType.forEach((t, b) -> log.info("{} scored by {}{}", t, b.model().card().name(), screens.containsKey(t)
                ? " behind the screen " + screens.get(t).batcher().model().card().name() + " (from "
                + screens.get(t).below() + ")" : ""));
    }

    private static Set<IncidentType> withAll(Set<IncidentType> s) {
        return s.isEmpty() ? EnumSet.noneOf(IncidentType.class) : s;
    }

    /** The models on the classpath under {@code /models/} (the models module), default settings. */
    public static SceneScorer loadDefault() {
        List<ModelFile> files = ModelCatalog.fromClasspath();
        if (files.isEmpty()) {
            throw new BadInputException("no model cards on the classpath under /" + ModelCatalog.CLASSPATH_ROOT
                    + "/; build the models module, or load a directory of NAME.card.json + NAME.onnx");
        }
        return new SceneScorer(files, InferenceSettings.defaults());
    }

    /**
     * The models in {@code dir}. Without an object detector there (a card of kind {@code detections}), the one
     * shipped on the classpath finds the dumping tracker's vehicles: bring-your-own classifiers keep dumping working.
     */
    public static SceneScorer load(Path dir) {
        List<ModelFile> files = new ArrayList<>(ModelCatalog.fromDirectory(dir));
        if (files.stream().noneMatch(f -> f.card().kind() == ModelCard.Kind.DETECTIONS)) {
            List<ModelFile> shipped = ModelCatalog.fromClasspath().stream()
                    .filter(f -> f.card().kind() == ModelCard.Kind.DETECTIONS).toList();
            shipped.forEach(f -> log.info("{} has no object detector; using {} for vehicles", dir, f.where()));
            files.addAll(shipped);
        }
        return new SceneScorer(files, InferenceSettings.defaults());
    }

    public static SceneScorer of(List<ModelFile> files, InferenceSettings settings) {
        return new SceneScorer(files, settings);
    }

    /** The types some model scores. */
    public Set<IncidentType> types() {
        return Collections.unmodifiableSet(withAll(byType.keySet()));
    }

    public List<ModelCard> cards() {
        return models.stream().map(OnnxModel::card).toList();
    }

    /** The object detector (vehicles for the dumping event), if a card of kind {@code detections} was loaded. */
    public Optional<ObjectDetector> objects() {
        return Optional.ofNullable(objects);
    }

    /** The batcher (and through it the model) that scores {@code type}: for benchmarks and metrics. */
    public InferenceBatcher batcherFor(IncidentType type) {
        InferenceBatcher b = byType.get(type);
        if (b == null) {
            throw new IllegalArgumentException("no model scores " + type);
        }
        return b;
    }

    /**
     * Replaces the model cards' thresholds for some types (the config's {@code detectors.<type>.threshold}): an
     * operator who finds a camera site too eager raises it without retraining. Applies to every later score.
     */
    public SceneScorer overrideThresholds(Map<IncidentType, Double> thresholds) {
        for (var e : thresholds.entrySet()) {
            if (!(e.getValue() >= 0 && e.getValue() <= 1)) {
                throw new IllegalArgumentException("threshold of " + e.getKey() + " must be within 0..1, got "
                        + e.getValue());
            }
        }
        this.thresholdOverrides = Map.copyOf(thresholds);
        return this;
    }

    /** Every covered type on the whole picture. Does not wait for other cameras' crops. */
    public Map<IncidentType, Score> scoreWholeFrame(Mat bgr) throws DetectorException {
        return score(bgr, List.of(Zone.wholeFrame())).get(Zone.WHOLE_FRAME_ID);
    }

    /** Each zone's types (those some model covers), per zone id in the given order. */
    public Map<String, Map<IncidentType, Score>> score(Mat bgr, List<Zone> zones) throws DetectorException {
        PreparedFrame frame = new PreparedFrame(bgr);
        Map<String, CompletableFuture<Map<IncidentType, Score>>> pending = new LinkedHashMap<>();
        for (Zone zone : zones) {
            pending.put(zone.id(), scoreZone(frame, zone, zone.types(), false));
        }
        Map<String, Map<IncidentType, Score>> result = new LinkedHashMap<>();
        for (var e : pending.entrySet()) {
            result.put(e.getKey(), await(e.getValue()));
        }
        return result;
    }

    /** One type on one box of the frame (e.g. what a truck left behind), box in frame pixels. */
    public Score scoreRegion(Mat bgr, Box region, IncidentType type) throws DetectorException {
        Zone z = Zone.around("region", region, bgr.cols(), bgr.rows(), EnumSet.of(type));
        Score s = score(bgr, List.of(z)).get("region").get(type);
        if (s == null) {
            throw new IllegalArgumentException("no model scores " + type);
        }
        return s;
    }

    /**
     * The production path: scores {@code types} of one zone of a prepared frame. Each needed model gets the zone's
     * crop (made once per input size, shared) and runs once per zone for all its types; {@code linger} lets the
     * crop wait up to the batch window for crops of other cameras. A screened type's confirming model runs only
     * when the screen's score reaches its value; a look the screen stops carries the screen's score, negative.
     */
    public CompletableFuture<Map<IncidentType, Score>> scoreZone(PreparedFrame frame, Zone zone,
                                                                 Set<IncidentType> types, boolean linger) {
        CompletableFuture<Map<IncidentType, Score>> all =
                CompletableFuture.completedFuture(new EnumMap<>(IncidentType.class));
        for (IncidentType t : types) {
            InferenceBatcher decides = byType.get(t);
            if (decides == null) {
                continue;
            }
            Screen screen = screens.get(t);
            CompletableFuture<Score> one = screen == null ? decided(frame, zone, decides, t, linger)
                    : modelResult(frame, zone, screen.batcher(), linger).thenCompose(first -> {
                        Score s = first.get(t);
                        if (s.score() < screen.below()) {
                            screen.stopped().increment();
                            return CompletableFuture.completedFuture(
                                    new Score(s.score(), threshold(decides, t), false, s.box()));
                        }
                        screen.passed().increment();
                        return decided(frame, zone, decides, t, linger);
                    });
            all = all.thenCombine(one, (acc, s) -> {
                if (s != null) {
                    acc.put(t, s);
                }
                return acc;
            });
        }
        return all;
    }

    /**
     * How many looks at {@code type} its screen stopped ({@code [0]}) and let through to the confirming model
     * ({@code [1]}) so far: what the cascade saves. Zeros for a type without a screen.
     */
    public long[] screened(IncidentType type) {
        Screen s = screens.get(type);
        return s == null ? new long[] {0, 0} : new long[] {s.stopped().sum(), s.passed().sum()};
    }

    private CompletableFuture<Score> decided(PreparedFrame frame, Zone zone, InferenceBatcher batcher,
                                             IncidentType t, boolean linger) {
        return modelResult(frame, zone, batcher, linger).thenApply(scores -> {
            Score s = scores.get(t);
            Double override = thresholdOverrides.get(t);
            return s == null || override == null ? s : Score.of(s.score(), override, s.box());
        });
    }

    private double threshold(InferenceBatcher batcher, IncidentType t) {
        Double override = thresholdOverrides.get(t);
        return override != null ? override : batcher.model().card().threshold(t);
    }

    /** One model's scores on one zone of the frame, computed once however many types and detectors ask. */
    private CompletableFuture<Map<IncidentType, Score>> modelResult(PreparedFrame frame, Zone zone,
                                                                    InferenceBatcher batcher, boolean linger) {
        ModelCard card = batcher.model().card();
        return frame.result(zone.id(), card.name(), () -> {
            ZoneCrop crop = frame.crop(zone, card.input());
            return batcher.submit(crop.tensor(), linger).thenApply(out -> OutputDecoder.decode(card, out, crop.region()));
        });
    }

    /** Waits for a {@link #scoreZone} result, unwrapping a model failure into a DetectorException. */
    public static Map<IncidentType, Score> await(CompletableFuture<Map<IncidentType, Score>> f) throws DetectorException {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DetectorException d) {
                throw d;
            }
            throw new DetectorException("scoring failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        batchers.forEach(InferenceBatcher::close);
        models.forEach(OnnxModel::close);
        if (objects != null) {
            objects.close();
        }
    }
}

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
 * model). Each incident type is scored by the first model (by card file name) whose labels cover it; a model
 * covering several types runs once per zone for all of them. Thread-safe; close it to stop the inference threads
 * and release the models.
 */
public final class SceneScorer implements AutoCloseable {

    private volatile Map<IncidentType, Double> thresholdOverrides = Map.of();

    private static final Logger log = LoggerFactory.getLogger(SceneScorer.class);

    private final List<OnnxModel> models = new ArrayList<>();
    private final List<InferenceBatcher> batchers = new ArrayList<>();
    private final Map<IncidentType, InferenceBatcher> byType = new EnumMap<>(IncidentType.class);
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
                        log.warn("models {} and {} both score {}; using {}", already.model().card().name(),
                                file.card().name(), t, already.model().card().name());
                    }
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        EnumSet<IncidentType> missing = EnumSet.complementOf(EnumSet.copyOf(withAll(byType.keySet())));
        if (!missing.isEmpty()) {
            log.warn("no model scores {}; those detectors are off", missing);
        }
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
     * crop (made once per input size, shared); {@code linger} lets the crop wait up to the batch window for crops
     * of other cameras.
     */
    public CompletableFuture<Map<IncidentType, Score>> scoreZone(PreparedFrame frame, Zone zone,
                                                                 Set<IncidentType> types, boolean linger) {
        Map<InferenceBatcher, Set<IncidentType>> wanted = new LinkedHashMap<>();
        for (IncidentType t : types) {
            InferenceBatcher b = byType.get(t);
            if (b != null) {
                wanted.computeIfAbsent(b, k -> EnumSet.noneOf(IncidentType.class)).add(t);
            }
        }
        CompletableFuture<Map<IncidentType, Score>> all =
                CompletableFuture.completedFuture(new EnumMap<>(IncidentType.class));
        for (var e : wanted.entrySet()) {
            InferenceBatcher batcher = e.getKey();
            ModelCard card = batcher.model().card();
            CompletableFuture<Map<IncidentType, Score>> one = frame.result(zone.id(), card.name(), () -> {
                ZoneCrop crop = frame.crop(zone, card.input());
                return batcher.submit(crop.tensor(), linger).thenApply(out -> OutputDecoder.decode(card, out, crop.region()));
            });
            all = all.thenCombine(one, (acc, scores) -> {
                for (IncidentType t : e.getValue()) {
                    Score s = scores.get(t);
                    Double override = thresholdOverrides.get(t);
                    if (s != null) {
                        acc.put(t, override == null ? s : Score.of(s.score(), override, s.box()));
                    }
                }
                return acc;
            });
        }
        return all;
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

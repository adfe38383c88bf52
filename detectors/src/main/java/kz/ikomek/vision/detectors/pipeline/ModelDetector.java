package kz.ikomek.vision.detectors.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Detector;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.Observation;
import kz.ikomek.vision.detectors.inference.PreparedFrame;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.scene.Score;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.ingest.FrameSample;

/**
 * The detector of one incident type: the model the scorer assigned to the type, on every due zone that reads
 * the type. Holds no history (the trackers do). Several detectors on the same {@link PreparedFrame} share its
 * crops and, when one model covers several types, its single inference.
 */
public final class ModelDetector implements Detector {

    private final IncidentType type;
    private final SceneScorer scorer;
    private final Function<String, CameraSite> sites;

    /** @param sites camera id → its site (zones), null for an unknown camera */
    public ModelDetector(IncidentType type, SceneScorer scorer, Function<String, CameraSite> sites) {
        if (!scorer.types().contains(type)) {
            throw new IllegalArgumentException("no model scores " + type + "; models: "
                    + scorer.cards().stream().map(c -> c.name()).toList());
        }
        this.type = type;
        this.scorer = scorer;
        this.sites = sites;
    }

    @Override
    public IncidentType type() {
        return type;
    }

    @Override
    public List<Observation> detect(List<FrameSample> batch) throws DetectorException {
        List<CompletableFuture<Observation>> pending = new ArrayList<>();
        for (FrameSample sample : batch) {
            CameraSite site = sites.apply(sample.cameraId());
            if (site == null) {
                continue;
            }
            PreparedFrame frame = new PreparedFrame(sample.image());
            for (Zone zone : site.zones()) {
                if (zone.reads(type) && (sample.dueZones().isEmpty() || sample.dueZones().contains(zone.id()))) {
                    pending.add(observe(frame, sample, zone, true));
                }
            }
        }
        List<Observation> out = new ArrayList<>(pending.size());
        for (CompletableFuture<Observation> p : pending) {
            out.add(await(p));
        }
        return out;
    }

    /** One zone of one prepared frame; {@code linger} lets it join other cameras' crops in one batch. */
    public CompletableFuture<Observation> observe(PreparedFrame frame, FrameSample sample, Zone zone, boolean linger) {
        return scorer.scoreZone(frame, zone, EnumSet.of(type), linger).thenApply(scores -> {
            Score s = scores.get(type);
            return new Observation(sample.cameraId(), zone.id(), type, s.score(), s.positive(), s.box(),
                    sample.capturedAt());
        });
    }

    static Observation await(CompletableFuture<Observation> f) throws DetectorException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DetectorException d) {
                throw d;
            }
            throw new DetectorException("detector failed: " + e.getCause(), e.getCause());
        }
    }
}

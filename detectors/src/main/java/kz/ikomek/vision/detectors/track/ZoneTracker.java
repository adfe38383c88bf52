package kz.ikomek.vision.detectors.track;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.Observation;
import kz.ikomek.vision.detectors.zone.CameraSite;

/**
 * Hysteresis for one camera × zone × type: raises once when K of the last N observations are positive and the
 * run of positives has lasted {@code minDuration}; stays raised through negatives; clears after
 * {@code clearDuration} without a positive, and only then may raise again. Takes the observations' own times,
 * never the clock. Not thread-safe: one camera's observations come in order from one thread.
 */
public final class ZoneTracker {

    /** What one observation changed. */
    public sealed interface Change {
    }

    /** The condition became real: hand the candidate to the incident bridge. */
    public record Raised(Candidate candidate) implements Change {
    }

    /** The condition is over (no positive for clearDuration). */
    public record Cleared(String cameraId, String zoneId, IncidentType type, Instant firstSeen, Instant lastSeen)
            implements Change {
    }

    private final CameraSite site;
    private final String zoneId;
    private final IncidentType type;
    private final TrackerPolicy policy;
    private final ArrayDeque<Boolean> window = new ArrayDeque<>();
    private Instant runStart;        // first positive since the window last held no positive
    private Instant lastPositive;
    private Instant firstSeen;       // set while raised
    private double bestScore;
    private Evidence bestEvidence;
    private boolean raised;

    public ZoneTracker(CameraSite site, String zoneId, IncidentType type, TrackerPolicy policy) {
        this.site = site;
        this.zoneId = zoneId;
        this.type = type;
        this.policy = policy;
    }

    public boolean raised() {
        return raised;
    }

    /**
     * A positive was seen and the condition is not raised yet: the pipeline then looks on every sample instead of
     * at the cadence, so a real condition is confirmed in about {@code minDuration} and an idle zone stays cheap.
     */
    public boolean confirming() {
        return !raised && runStart != null;
    }

    /**
     * Feeds one observation. {@code evidence} is asked only for a positive that beats the best score of the current
     * run, so JPEGs are made rarely.
     */
    public Optional<Change> observe(Observation o, Supplier<Evidence> evidence) {
        Instant at = o.at();
        window.addLast(o.positive());
        if (window.size() > policy.n()) {
            window.removeFirst();
        }
        if (o.positive()) {
            if (runStart == null) {
                runStart = at;
            }
            lastPositive = at;
            if (bestEvidence == null || o.score() > bestScore) {
                bestScore = o.score();
                bestEvidence = evidence.get();
            }
        }
        if (raised) {
            if (!o.positive() && Duration.between(lastPositive, at).compareTo(policy.clearDuration()) >= 0) {
                Cleared cleared = new Cleared(site.cameraId(), zoneId, type, firstSeen, lastPositive);
                reset();
                return Optional.of(cleared);
            }
            return Optional.empty();
        }
        long positives = window.stream().filter(p -> p).count();
        if (positives == 0) {
            reset();
            return Optional.empty();
        }
        if (positives >= policy.k() && Duration.between(runStart, at).compareTo(policy.minDuration()) >= 0) {
            raised = true;
            firstSeen = runStart;
            List<Evidence> ev = bestEvidence == null ? List.of() : List.of(bestEvidence);
            return Optional.of(new Raised(new Candidate(site.cameraId() + "/" + zoneId + "/" + type.wireName(),
                    site.cameraId(), zoneId, type, site.place(), site.address(), runStart, lastPositive, bestScore, ev)));
        }
        return Optional.empty();
    }

    private void reset() {
        raised = false;
        runStart = null;
        firstSeen = null;
        bestScore = 0;
        bestEvidence = null;
        window.clear();
    }
}

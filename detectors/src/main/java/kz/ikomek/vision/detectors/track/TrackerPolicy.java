package kz.ikomek.vision.detectors.track;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import kz.ikomek.vision.config.IncidentType;

/**
 * When a standing condition (snow, flood, open manhole) becomes a candidate, and when it is over.
 *
 * @param k             positives needed among the last {@code n} observations
 * @param n             the window of observations
 * @param minDuration   the first positive of the run must be at least this old when K of N is reached
 * @param clearDuration this long without a positive ends the condition
 */
public record TrackerPolicy(int k, int n, Duration minDuration, Duration clearDuration) {

    public TrackerPolicy {
        if (k < 1 || n < k || minDuration.isNegative() || clearDuration.isNegative() || clearDuration.isZero()) {
            throw new IllegalArgumentException("tracker policy needs 1 <= k <= n, minDuration >= 0, clearDuration > 0; got k="
                    + k + " n=" + n + " min=" + minDuration + " clear=" + clearDuration);
        }
    }

    /**
     * The defaults, all in one place. Each K is more than half of its N, so a detector that flickers
     * (positive every other look, or less) never reaches K; an honest condition with an occasional miss does.
     * After a first positive the pipeline looks on every sample (see {@link ZoneTracker#confirming()}), so the
     * time to raise is about {@code minDuration}, which is therefore how long each condition must last to be real:
     * snow lies for hours, a white lorry parks for minutes (5 min); water that pools stays, a reflection passes
     * (1 min); an open manhole is a danger now, while a shadow moves on within seconds (8 s, goal: incident within
     * 15 s). {@code minDuration} also guards against bursts: frames delivered back to back after a reconnect must
     * not count as minutes of observation.
     */
    public static Map<IncidentType, TrackerPolicy> defaults() {
        Map<IncidentType, TrackerPolicy> d = new EnumMap<>(IncidentType.class);
        d.put(IncidentType.SNOW, new TrackerPolicy(3, 4, Duration.ofMinutes(5), Duration.ofMinutes(30)));
        d.put(IncidentType.FLOOD, new TrackerPolicy(4, 5, Duration.ofMinutes(1), Duration.ofMinutes(10)));
        d.put(IncidentType.OPEN_MANHOLE, new TrackerPolicy(4, 5, Duration.ofSeconds(8), Duration.ofMinutes(2)));
        // Dumping is an event (see DumpingTracker); this policy only applies if someone tracks its classifier alone.
        d.put(IncidentType.DUMPING, new TrackerPolicy(4, 5, Duration.ofSeconds(10), Duration.ofMinutes(10)));
        return d;
    }

    /** The defaults with some types overridden (e.g. from the config). */
    public static Map<IncidentType, TrackerPolicy> defaultsWith(Map<IncidentType, TrackerPolicy> overrides) {
        Map<IncidentType, TrackerPolicy> d = defaults();
        d.putAll(overrides);
        return d;
    }
}

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
     * The time to raise is about (K - 1) × cadence: at the demo cadences (a few seconds) that is well under a
     * minute, at the production cadences (snow 5 m, flood 30 s, manhole 5 s) 10 min / 1.5 min / 15 s, which is
     * also the minimum evidence a utility crew would want before driving out. {@code minDuration} guards against
     * bursts: frames delivered back to back after a reconnect must not count as minutes of observation.
     */
    public static Map<IncidentType, TrackerPolicy> defaults() {
        Map<IncidentType, TrackerPolicy> d = new EnumMap<>(IncidentType.class);
        d.put(IncidentType.SNOW, new TrackerPolicy(3, 4, Duration.ofSeconds(10), Duration.ofMinutes(30)));
        d.put(IncidentType.FLOOD, new TrackerPolicy(4, 5, Duration.ofSeconds(10), Duration.ofMinutes(10)));
        d.put(IncidentType.OPEN_MANHOLE, new TrackerPolicy(4, 5, Duration.ofSeconds(10), Duration.ofMinutes(2)));
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

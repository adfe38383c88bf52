package kz.ikomek.vision.config;

import java.time.Duration;
import java.time.Month;
import java.util.Collections;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one detector runs: how often each zone is analysed, in which months, the score threshold
 * (empty = the one in the model card) and the tracker that turns scores into candidates.
 */
public record DetectorSettings(
        IncidentType type,
        boolean enabled,
        Duration cadence,
        Set<Integer> months,
        OptionalDouble threshold,
        TrackerSettings tracker) {

    public DetectorSettings {
        months = Collections.unmodifiableSet(new TreeSet<>(months));
    }

    public boolean inSeason(Month month) {
        return months.contains(month.getValue());
    }

    /**
     * Raise a candidate when at least {@code k} of the last {@code n} observations are positive and
     * the condition lasted {@code minDuration}; clear it after {@code clearDuration} without one.
     */
    public record TrackerSettings(int k, int n, Duration minDuration, Duration clearDuration) {
    }
}

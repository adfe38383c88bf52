package kz.ikomek.vision.ingest.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * When each zone of a camera wants its next frame, on the stream's own timeline (nanoseconds).
 * The fastest due zone sets the pace; a frame carries every zone that is due at its time.
 */
public final class SamplingPlan {

    private final Map<String, Long> cadenceNanos = new HashMap<>();
    private final Map<String, Long> nextDue = new HashMap<>();
    private final long fastestNanos;

    public SamplingPlan(Map<String, Duration> zoneCadences) {
        long fastest = Long.MAX_VALUE;
        for (var e : zoneCadences.entrySet()) {
            long nanos = e.getValue().toNanos();
            cadenceNanos.put(e.getKey(), nanos);
            fastest = Math.min(fastest, nanos);
        }
        this.fastestNanos = fastest;
    }

    public Duration fastest() {
        return Duration.ofNanos(fastestNanos);
    }

    /** Forget the schedule (a new connection): every zone is due at the first frame. */
    public void reset() {
        nextDue.clear();
    }

    /**
     * Zones due at stream time {@code t}. A frame slightly early still counts (10% of the cadence):
     * keyframes arrive with jitter, and missing one by a millisecond would double the interval.
     */
    public Set<String> dueAt(long t) {
        Set<String> due = null;
        for (var e : cadenceNanos.entrySet()) {
            Long next = nextDue.get(e.getKey());
            if (next == null || t >= next - e.getValue() / 10) {
                if (due == null) {
                    due = new TreeSet<>();
                }
                due.add(e.getKey());
            }
        }
        return due == null ? Set.of() : due;
    }

    /** The zones got a frame at {@code t}; schedule their next one without drifting. */
    public void taken(Set<String> zones, long t) {
        for (String zone : zones) {
            long cadence = cadenceNanos.get(zone);
            Long prev = nextDue.get(zone);
            long next = prev == null ? t + cadence : prev + cadence;
            if (next <= t) {          // fell behind (stall, slow keyframes): restart from now
                next = t + cadence;
            }
            nextDue.put(zone, next);
        }
    }

    /**
     * Keyframes alone are enough when they come at least as often as the fastest zone wants a frame
     * (10% slack, as in {@link #dueAt}).
     */
    public boolean keyframesSuffice(long keyframeIntervalNanos) {
        return keyframeIntervalNanos > 0 && keyframeIntervalNanos <= fastestNanos + fastestNanos / 10;
    }
}

package kz.ikomek.vision.ingest.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When each zone of a camera wants its next frame, on the stream's own timeline (nanoseconds).
 * The fastest due zone sets the pace; a frame carries every zone that is due at its time.
 *
 * <p>A zone can be hurried ({@link #hurry}): until a deadline on the wall clock ({@code System.nanoTime()}, not the
 * stream's timeline, which may start anywhere and stall) it is due on every keyframe. A zone can also be
 * protected ({@link #protect}): it keeps its cadence, but its looks are {@linkplain #urgent urgent}, never shed when
 * the machine is busy. Hurried zones are urgent too. The schedule is used by the session's thread only; hurries and
 * protections may come from any thread and are shared by every {@link #fresh} copy.
 */
public final class SamplingPlan {

    private final Map<String, Long> cadenceNanos;
    private final Map<String, Long> nextDue = new HashMap<>();
    private final long fastestNanos;
    private final ConcurrentHashMap<String, Long> hurriedUntil;
    private final ConcurrentHashMap<String, Long> protectedUntil;
    private final LongSupplier clock;

    public SamplingPlan(Map<String, Duration> zoneCadences) {
        this(zoneCadences, System::nanoTime);
    }

    /** @param clock the wall clock of hurry deadlines, in nanoseconds ({@code System::nanoTime}; tests pass their own) */
    SamplingPlan(Map<String, Duration> zoneCadences, LongSupplier clock) {
        this(nanos(zoneCadences), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), clock);
    }

    private SamplingPlan(Map<String, Long> cadenceNanos, ConcurrentHashMap<String, Long> hurriedUntil,
                         ConcurrentHashMap<String, Long> protectedUntil, LongSupplier clock) {
        this.cadenceNanos = cadenceNanos;
        this.hurriedUntil = hurriedUntil;
        this.protectedUntil = protectedUntil;
        this.clock = clock;
        this.fastestNanos = cadenceNanos.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    }

    private static Map<String, Long> nanos(Map<String, Duration> zoneCadences) {
        Map<String, Long> m = new HashMap<>();
        zoneCadences.forEach((zone, cadence) -> m.put(zone, cadence.toNanos()));
        return Map.copyOf(m);
    }

    /**
     * The same cadences and hurries with a schedule of its own, for a new session thread (an abandoned thread may
     * still hold the old plan, whose schedule is not thread-safe).
     */
    public SamplingPlan fresh() {
        return new SamplingPlan(cadenceNanos, hurriedUntil, protectedUntil, clock);
    }

    public Duration fastest() {
        return Duration.ofNanos(fastestNanos);
    }

    /** Forget the schedule (a new connection): every zone is due at the first frame. Hurries stay. */
    public void reset() {
        nextDue.clear();
    }

    /**
     * Makes the zone due on every keyframe for {@code forHowLong} from now (a later deadline extends a hurry, an
     * earlier one does not shorten it). Any thread. It does not make the session decode more than keyframes: where
     * keyframes are sparser than the cadences the zone gets every keyframe on top of its cadence.
     *
     * @return false (and nothing changes) when the camera has no such zone
     */
    public boolean hurry(String zone, Duration forHowLong) {
        return extend(hurriedUntil, zone, forHowLong);
    }

    /**
     * Makes the zone's looks urgent for {@code forHowLong} from now, at its own cadence (a later deadline extends it).
     * Any thread.
     *
     * @return false (and nothing changes) when the camera has no such zone
     */
    public boolean protect(String zone, Duration forHowLong) {
        return extend(protectedUntil, zone, forHowLong);
    }

    private boolean extend(ConcurrentHashMap<String, Long> deadlines, String zone, Duration forHowLong) {
        if (!cadenceNanos.containsKey(zone)) {
            return false;
        }
        long until = clock.getAsLong() + forHowLong.toNanos();
        deadlines.merge(zone, until, (a, b) -> a - b >= 0 ? a : b);
        return true;
    }

    /** Whether a look for these due zones must not be shed: one of them is hurried or protected. */
    public boolean urgent(Set<String> due) {
        for (String zone : due) {
            if (active(hurriedUntil, zone) || active(protectedUntil, zone)) {
                return true;
            }
        }
        return false;
    }

    /**
     * How late a look at stream time {@code t} is for the most overdue of these zones, in cadences of that zone: 0 on
     * time, 1.5 when a 2 s zone waits 3 s past its due time. A zone not looked at yet on this connection was due at its
     * start (stream time 0), so a new camera climbs the ranks like any other instead of waiting behind them forever.
     */
    public double overdue(Set<String> due, long t) {
        double most = 0;
        for (String zone : due) {
            long next = nextDue.getOrDefault(zone, 0L);
            if (t > next) {
                most = Math.max(most, (double) (t - next) / cadenceNanos.get(zone));
            }
        }
        return most;
    }

    /** How far the camera is behind its schedule at stream time {@code t}: the oldest due time passed, 0 if none. */
    public long lagNanos(long t) {
        long lag = 0;
        for (String zone : cadenceNanos.keySet()) {
            lag = Math.max(lag, t - nextDue.getOrDefault(zone, 0L));
        }
        return lag;
    }

    /** Zones due at stream time {@code t} on a frame that is not a keyframe: see {@link #dueAt(long, boolean)}. */
    public Set<String> dueAt(long t) {
        return dueAt(t, false);
    }

    /**
     * Zones due at stream time {@code t}. A frame slightly early still counts (10% of the cadence):
     * keyframes arrive with jitter, and missing one by a millisecond would double the interval.
     * A hurried zone is also due on every keyframe until its hurry ends.
     */
    public Set<String> dueAt(long t, boolean keyframe) {
        Set<String> due = null;
        for (var e : cadenceNanos.entrySet()) {
            Long next = nextDue.get(e.getKey());
            if (next == null || t >= next - e.getValue() / 10 || keyframe && hurried(e.getKey())) {
                if (due == null) {
                    due = new TreeSet<>();
                }
                due.add(e.getKey());
            }
        }
        return due == null ? Set.of() : due;
    }

    private boolean hurried(String zone) {
        return active(hurriedUntil, zone);
    }

    private boolean active(ConcurrentHashMap<String, Long> deadlines, String zone) {
        if (deadlines.isEmpty()) {
            return false;
        }
        Long until = deadlines.get(zone);
        if (until == null) {
            return false;
        }
        if (clock.getAsLong() - until < 0) {
            return true;
        }
        deadlines.remove(zone, until);   // over; a deadline extended meanwhile stays
        return false;
    }

    /**
     * The zones got a frame at {@code t}; schedule their next one without drifting. A zone taken ahead of its
     * schedule (hurried) is next due a cadence after this frame, so when the hurry ends it goes back to its cadence
     * with neither a burst nor a gap.
     */
    public void taken(Set<String> zones, long t) {
        for (String zone : zones) {
            long cadence = cadenceNanos.get(zone);
            Long prev = nextDue.get(zone);
            long next;
            if (prev == null || t < prev - cadence / 10) {   // first frame, or early because hurried
                next = t + cadence;
            } else {
                next = prev + cadence;
                if (next <= t) {      // fell behind (stall, slow keyframes): restart from now
                    next = t + cadence;
                }
            }
            nextDue.put(zone, next);
        }
    }

    /**
     * Keyframes alone are enough when they come at least as often as the fastest zone wants a frame
     * (10% slack, as in {@link #dueAt}). Hurries play no part: a hurried zone takes the keyframes there are.
     */
    public boolean keyframesSuffice(long keyframeIntervalNanos) {
        return keyframeIntervalNanos > 0 && keyframeIntervalNanos <= fastestNanos + fastestNanos / 10;
    }
}

package kz.ikomek.vision.detectors.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import kz.ikomek.vision.config.IncidentType;

/**
 * How often a detector looks at a zone, and in which months (local time) at all.
 *
 * @param cadence time between two looks at the same zone
 * @param months  1..12; empty = all year
 */
public record DetectorSchedule(Duration cadence, Set<Integer> months) {

    /** Astana's clock (UTC+5 since 2024); the seasons are local. */
    public static final ZoneId CITY_TIME = ZoneId.of("Asia/Almaty");

    /**
     * A look may come this much earlier than the cadence: the cameras' samples arrive with jitter, and a strict
     * comparison would skip every other sample when the ingest rate equals the cadence.
     */
    private static final double EARLY = 0.1;

    public DetectorSchedule {
        if (cadence.isNegative() || cadence.isZero()) {
            throw new IllegalArgumentException("cadence must be positive, got " + cadence);
        }
        for (int m : months) {
            if (m < 1 || m > 12) {
                throw new IllegalArgumentException("months are 1..12, got " + m);
            }
        }
        months = Set.copyOf(months);
    }

    /** The defaults of DESIGN.md: snow every 5 min in Oct–Apr; flood 30 s; manholes 5 s; dumping 2 s. */
    public static Map<IncidentType, DetectorSchedule> defaults() {
        Map<IncidentType, DetectorSchedule> d = new EnumMap<>(IncidentType.class);
        d.put(IncidentType.SNOW, new DetectorSchedule(Duration.ofMinutes(5), Set.of(10, 11, 12, 1, 2, 3, 4)));
        d.put(IncidentType.FLOOD, new DetectorSchedule(Duration.ofSeconds(30), Set.of()));
        d.put(IncidentType.OPEN_MANHOLE, new DetectorSchedule(Duration.ofSeconds(5), Set.of()));
        d.put(IncidentType.DUMPING, new DetectorSchedule(Duration.ofSeconds(2), Set.of()));
        return d;
    }

    public static Map<IncidentType, DetectorSchedule> defaultsWith(Map<IncidentType, DetectorSchedule> overrides) {
        Map<IncidentType, DetectorSchedule> d = defaults();
        d.putAll(overrides);
        return d;
    }

    public boolean inSeason(Instant at, ZoneId zone) {
        return months.isEmpty() || months.contains(at.atZone(zone).getMonthValue());
    }

    /**
     * Whether a look at {@code now} is due. {@code nextDue} is what {@link #after} returned for the previous
     * look (null: never looked).
     */
    public boolean due(Instant nextDue, Instant now, ZoneId zone) {
        if (!inSeason(now, zone)) {
            return false;
        }
        return nextDue == null || !now.isBefore(nextDue.minus(early()));
    }

    /**
     * When the look after one at {@code now} is due. Anchored to the previous due time, so the early allowance
     * does not make the schedule creep forward; re-anchored to now after a gap (a camera that was down).
     */
    public Instant after(Instant nextDue, Instant now) {
        Instant anchored = nextDue == null ? now.plus(cadence) : nextDue.plus(cadence);
        Instant fromNow = now.plus(cadence).minus(early());
        return anchored.isAfter(fromNow) ? anchored : fromNow;
    }

    private Duration early() {
        return Duration.ofMillis((long) (cadence.toMillis() * EARLY));
    }
}

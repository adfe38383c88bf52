package kz.ikomek.vision.bridge.dedup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;

/**
 * The dedup key is type + place. Open incidents absorb candidates of their type within the merge radius
 * (across cameras); REJECTED ones suppress the same key for a window (a false alarm must not come straight
 * back); RESOLVED ones for their cooldown. Dumping is an event, not a standing condition: events stay
 * distinct unless they are in the same camera zone within the merge window, and an event id seen before is
 * recognised (a replay after a crash must not open a second incident).
 *
 * <p>Not thread-safe: the partition's owner calls it one decision at a time. Lookups compare a candidate with
 * the entries of its type in the grid cells around its place ({@link PlaceGrid}), not with every entry.
 */
public final class DedupIndex {

    private final double radiusMeters;
    private final Duration rejectSuppression;
    private final Duration cooldown;
    private final Duration dumpingWindow;
    private final Map<IncidentType, PlaceGrid<DedupEntry>> byType = new EnumMap<>(IncidentType.class);
    private final Map<String, String> dumpingEvents = new HashMap<>();

    public DedupIndex(double radiusMeters, Duration rejectSuppression, Duration cooldown, Duration dumpingWindow) {
        this.radiusMeters = radiusMeters;
        this.rejectSuppression = rejectSuppression;
        this.cooldown = cooldown;
        this.dumpingWindow = dumpingWindow;
        for (IncidentType t : IncidentType.values()) {
            byType.put(t, new PlaceGrid<>(radiusMeters));
        }
    }

    /** Adds or replaces; an entry that neither absorbs nor suppresses any more is dropped (returns false). */
    public boolean put(DedupEntry e, Instant now) {
        if (!relevant(e, now)) {
            remove(e.id(), e.type());
            return false;
        }
        byType.get(e.type()).put(e.id(), e.place(), e);
        if (e.type() == IncidentType.DUMPING) {
            for (String ev : e.eventIds()) {
                dumpingEvents.put(ev, e.id());
            }
        }
        return true;
    }

    public void remove(String id, IncidentType type) {
        DedupEntry old = byType.get(type).remove(id);
        if (old != null && type == IncidentType.DUMPING) {
            old.eventIds().forEach(dumpingEvents::remove);
        }
    }

    public int size() {
        return byType.values().stream().mapToInt(PlaceGrid::size).sum();
    }

    /** Entries whose suppression window has passed: the caller deletes them from the store too. */
    public List<DedupEntry> prune(Instant now) {
        List<DedupEntry> gone = new ArrayList<>();
        for (PlaceGrid<DedupEntry> m : byType.values()) {
            for (DedupEntry e : m.values()) {
                if (!relevant(e, now)) {
                    gone.add(e);
                }
            }
        }
        gone.forEach(e -> remove(e.id(), e.type()));
        return gone;
    }

    private boolean relevant(DedupEntry e, Instant now) {
        if (e.state().isOpen()) {
            return true;
        }
        if (e.closedAt() == null) {
            return false;
        }
        return switch (e.state()) {
            case REJECTED -> e.closedAt().plus(rejectSuppression).isAfter(now);
            // A dumping event that was dealt with stays recognisable for a while: replays must not reopen it.
            case RESOLVED -> e.closedAt().plus(e.type() == IncidentType.DUMPING ? dumpingWindow : cooldown).isAfter(now);
            case EXPIRED -> e.type() == IncidentType.DUMPING && e.closedAt().plus(dumpingWindow).isAfter(now);
            default -> false;
        };
    }

    public Match match(Candidate c, Instant now) {
        PlaceGrid<DedupEntry> ofType = byType.get(c.type());
        if (c.type() == IncidentType.DUMPING) {
            String known = c.eventId() == null ? null : dumpingEvents.get(c.eventId());
            if (known != null && ofType.containsKey(known)) {
                DedupEntry e = ofType.get(known);
                return e.state().isOpen() ? Match.merge(known)
                        : Match.suppress(known, "event " + c.eventId() + " already recorded in " + known
                        + " (" + e.state() + ")");
            }
            String zone = zoneKey(c.cameraId(), c.zoneId());
            for (DedupEntry e : ofType.values()) {
                if (e.state().isOpen() && e.zones().contains(zone)
                        && Duration.between(e.lastSeen(), c.firstSeen()).abs().compareTo(dumpingWindow) <= 0) {
                    return Match.merge(e.id());
                }
            }
            return suppressedOrNew(c, now, ofType);
        }
        DedupEntry nearest = null;
        double best = Double.MAX_VALUE;
        for (DedupEntry e : ofType.near(c.place())) {
            if (e.state().isOpen()) {
                double d = e.place().metersTo(c.place());
                if (d <= radiusMeters && d < best) {
                    best = d;
                    nearest = e;
                }
            }
        }
        if (nearest != null) {
            return Match.merge(nearest.id());
        }
        return suppressedOrNew(c, now, ofType);
    }

    private Match suppressedOrNew(Candidate c, Instant now, PlaceGrid<DedupEntry> ofType) {
        String reopened = null;
        for (DedupEntry e : ofType.near(c.place())) {
            if (e.state().isOpen() || e.closedAt() == null || e.place().metersTo(c.place()) > radiusMeters) {
                continue;
            }
            if (e.state() == IncidentState.REJECTED && e.closedAt().plus(rejectSuppression).isAfter(now)) {
                return Match.suppress(e.id(), "rejected as a false alarm at " + e.closedAt() + "; suppressed until "
                        + e.closedAt().plus(rejectSuppression));
            }
            if (e.state() == IncidentState.RESOLVED && c.type() != IncidentType.DUMPING) {
                if (e.closedAt().plus(cooldown).isAfter(now)) {
                    return Match.suppress(e.id(), "resolved at " + e.closedAt() + "; cooldown until "
                            + e.closedAt().plus(cooldown));
                }
                reopened = e.id();
            }
        }
        return Match.open(reopened == null ? "detected" : "re-opened after the cooldown of " + reopened);
    }

    public static String zoneKey(String cameraId, String zoneId) {
        return cameraId + "/" + zoneId;
    }
}

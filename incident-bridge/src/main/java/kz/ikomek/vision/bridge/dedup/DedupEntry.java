package kz.ikomek.vision.bridge.dedup;

import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;

/** What dedup needs to know about one incident: the dedup key (type + place) and whether it still absorbs or suppresses. */
public record DedupEntry(String id, IncidentType type, GeoPoint place, IncidentState state, List<String> zones,
                         List<String> eventIds, Instant lastSeen, Instant closedAt) {

    public static DedupEntry of(StoredIncident s) {
        return new DedupEntry(s.id(), s.incident().type(), s.incident().place(), s.incident().state(), s.zones(),
                s.eventIds(), s.incident().lastSeen(), s.closedAt());
    }

    /** Type first: the dedup column family reads as "type/id", grouped by type. */
    public String storeKey() {
        return type.wireName() + "/" + id;
    }
}

package kz.ikomek.vision.bridge.store;

import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.bridge.Incident;

/**
 * An incident as stored: the public view plus what dedup and expiry need.
 *
 * @param zones       every "camera/zone" that ever reported it
 * @param activeZones those whose condition has not cleared yet; empty → the incident may expire
 * @param eventIds    the tracker events merged into it (dumping: one per event); a replayed event is recognised
 * @param version     1 at creation, +1 per stored change: CloudEvent ids are {@code id/version}
 * @param closedAt    when it became REJECTED, RESOLVED or EXPIRED, else null
 */
public record StoredIncident(Incident incident, List<String> zones, List<String> activeZones, List<String> eventIds,
                             long version, Instant closedAt) {

    public String id() {
        return incident.id();
    }

    public StoredIncident with(Incident next, List<String> zones, List<String> activeZones, List<String> eventIds,
                               Instant closedAt) {
        return new StoredIncident(next, zones, activeZones, eventIds, version + 1, closedAt);
    }

    public StoredIncident with(Incident next) {
        return new StoredIncident(next, zones, activeZones, eventIds, version + 1, closedAt);
    }
}

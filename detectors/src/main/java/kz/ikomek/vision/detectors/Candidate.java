package kz.ikomek.vision.detectors;

import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;

/**
 * A tracker's claim that a condition is real: what the incident bridge turns into (or merges with) an incident.
 *
 * @param eventId distinct per dumping event; for standing conditions (snow, flood, manhole) cameraId/zoneId/type
 */
public record Candidate(String eventId, String cameraId, String zoneId, IncidentType type, GeoPoint place,
                        String address, Instant firstSeen, Instant lastSeen, double bestScore,
                        List<Evidence> evidence) {
}

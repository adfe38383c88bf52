package kz.ikomek.vision.bridge;

import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;

/**
 * One real problem at one place, however many cameras and frames saw it.
 *
 * @param serviceCode      the case system's service code it is (or will be) filed under, e.g. "snow-removal"
 * @param serviceRequestId the case system's id once delivered (Open311 {@code service_request_id}), else null
 * @param deliveryFailed   true when delivery gave up after its retries (dead letter): operators must see it
 */
public record Incident(String id, IncidentType type, IncidentState state, GeoPoint place, String address,
                       Instant firstSeen, Instant lastSeen, List<String> cameras, double bestScore,
                       List<EvidenceRef> evidence, List<Transition> history, String serviceCode,
                       String serviceRequestId, boolean deliveryFailed) {
}

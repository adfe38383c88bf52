package kz.ikomek.vision.bridge.cluster;

import java.time.Instant;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;

/**
 * What the owner of a place partition is asked to do, as the JSON value of {@link ClusterTopics#CANDIDATES} and
 * {@link ClusterTopics#ACTIONS} records: a candidate (its evidence bytes travel with it, base64), a clear, a
 * person's action, or a delivery result (FILED: {@code reason} is the service request id; DELIVERY_FAILED:
 * {@code reason} is the error). Fields that do not belong to the kind are null.
 */
public record PartitionCommand(Kind kind, Candidate candidate, String cameraId, String zoneId, IncidentType type,
                               Instant at, String incidentId, IncidentAction action, String actor, String reason) {

    public enum Kind { CANDIDATE, CLEARED, ACTION, FILED, DELIVERY_FAILED }

    static PartitionCommand candidate(Candidate c) {
        return new PartitionCommand(Kind.CANDIDATE, c, null, null, null, null, null, null, null, null);
    }

    static PartitionCommand cleared(String cameraId, String zoneId, IncidentType type, Instant at) {
        return new PartitionCommand(Kind.CLEARED, null, cameraId, zoneId, type, at, null, null, null, null);
    }

    static PartitionCommand action(String incidentId, IncidentAction action, String actor, String reason) {
        return new PartitionCommand(Kind.ACTION, null, null, null, null, null, incidentId, action, actor, reason);
    }

    static PartitionCommand delivery(Kind result, String incidentId, String serviceRequestIdOrError) {
        return new PartitionCommand(result, null, null, null, null, null, incidentId, null, null,
                serviceRequestIdOrError);
    }
}

package kz.ikomek.vision.bridge.cluster;

import java.time.Instant;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;

/**
 * What the owner of a place partition is asked to do, as the JSON value of {@link ClusterTopics#CANDIDATES} and
 * {@link ClusterTopics#ACTIONS} records: a candidate (its evidence bytes travel with it, base64), a clear, or
 * a person's action. Fields that do not belong to the kind are null.
 */
public record PartitionCommand(Kind kind, Candidate candidate, String cameraId, String zoneId, IncidentType type,
                               Instant at, String incidentId, IncidentAction action, String actor, String reason) {

    public enum Kind { CANDIDATE, CLEARED, ACTION }

    static PartitionCommand candidate(Candidate c) {
        return new PartitionCommand(Kind.CANDIDATE, c, null, null, null, null, null, null, null, null);
    }

    static PartitionCommand cleared(String cameraId, String zoneId, IncidentType type, Instant at) {
        return new PartitionCommand(Kind.CLEARED, null, cameraId, zoneId, type, at, null, null, null, null);
    }

    static PartitionCommand action(String incidentId, IncidentAction action, String actor, String reason) {
        return new PartitionCommand(Kind.ACTION, null, null, null, null, null, incidentId, action, actor, reason);
    }
}

package kz.ikomek.vision.bridge.owner;

import java.util.List;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.dedup.DedupEntry;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.detectors.Evidence;

/**
 * One decided change of one incident, for the partition owner to make durable and announce.
 *
 * @param entered     the state the incident moved into with this change, or null when its state stayed (a merge,
 *                    a delivery result): only state changes are announced ({@code ikomek.incidents.v1}, Open311)
 * @param newEvidence frames of the candidate that the incident kept: their bytes must be stored with it
 * @param dedupLive   false when the dedup entry neither absorbs nor suppresses any more: delete it
 */
public record IncidentChange(StoredIncident next, IncidentState entered, List<Evidence> newEvidence,
                             DedupEntry dedup, boolean dedupLive) {
}

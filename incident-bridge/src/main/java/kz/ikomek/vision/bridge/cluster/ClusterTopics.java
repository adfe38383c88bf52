package kz.ikomek.vision.bridge.cluster;

import kz.ikomek.vision.bridge.delivery.KafkaOptions;

/**
 * The topics of cluster mode. Candidates and actions share the key (the dedup group) and the partition count,
 * so partition i of both is one place partition with one owner.
 */
public final class ClusterTopics {

    /** Candidates and clears; key = dedup group of the camera; value = JSON {@link PartitionCommand}. */
    public static final String CANDIDATES = "ikomek.candidates.v1";
    /** Operator actions; key = dedup group of the incident (of its first camera); value = JSON {@link PartitionCommand}. */
    public static final String ACTIONS = "ikomek.actions.v1";
    /** Unchanged contract: CloudEvents JSON, key = incident id, one event per state change. */
    public static final String INCIDENTS = KafkaOptions.DEFAULT_TOPIC;
    /**
     * Compacted; key = incident id, value = the incident as JSON after every change (merges and delivery results
     * too, which {@link #INCIDENTS} does not carry): what feeds every worker's read model.
     */
    public static final String INCIDENT_STATE = "ikomek.incident-state.v1";
    /** Compacted; key = SHA-256, value = the JPEG: every worker's console shows evidence the owner kept. */
    public static final String EVIDENCE = "ikomek.evidence.v1";
    /** The owner's state store (changelog topic: {@code <application.id>-incidents-changelog}). */
    static final String STORE = "incidents";

    private ClusterTopics() {
    }
}

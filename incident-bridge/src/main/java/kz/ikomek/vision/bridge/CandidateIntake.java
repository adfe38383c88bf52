package kz.ikomek.vision.bridge;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;

/**
 * Where detection hands its trackers' output, in both modes: {@link IncidentBridge} (standalone: the owner is
 * in-process) and the cluster bridge (the owner of the candidate's place partition is wherever Kafka put it).
 * Neither call waits for the disk: the future completes once the hand-over is durable.
 */
public interface CandidateIntake {

    /**
     * Hands a tracker's candidate over. Standalone: the future completes when the decision (open / merge /
     * suppress) and its evidence are synced to RocksDB; cluster: when the candidates topic has it (acks=all).
     *
     * @throws IllegalArgumentException at once, for a malformed candidate (names the field)
     */
    CompletableFuture<Void> submit(Candidate candidate);

    /** The tracker's clear: the condition of {@code type} is gone from this camera zone. Durable as submit. */
    CompletableFuture<Void> cleared(String cameraId, String zoneId, IncidentType type, Instant at);
}

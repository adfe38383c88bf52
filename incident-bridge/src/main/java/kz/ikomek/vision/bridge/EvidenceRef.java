package kz.ikomek.vision.bridge;

import java.time.Instant;

/**
 * Points at a stored evidence JPEG by its SHA-256; {@code role} is frame, before, during, after or vehicle;
 * {@code detail} what a model saw in it (the vehicle: "truck 0.41, bus 0.30"), or null.
 */
public record EvidenceRef(String sha256, String role, String cameraId, Instant at, String detail) {

    public EvidenceRef(String sha256, String role, String cameraId, Instant at) {
        this(sha256, role, cameraId, at, null);
    }
}

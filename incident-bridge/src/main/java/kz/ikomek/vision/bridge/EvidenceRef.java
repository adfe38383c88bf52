package kz.ikomek.vision.bridge;

import java.time.Instant;

/** Points at a stored evidence JPEG by its SHA-256; {@code role} is frame, before, during, after or vehicle. */
public record EvidenceRef(String sha256, String role, String cameraId, Instant at) {
}

package kz.ikomek.vision.detectors;

import java.time.Instant;

/**
 * A JPEG that shows why a candidate was raised, content-addressed by the SHA-256 of its bytes.
 *
 * @param role   what the frame shows: "frame", "before", "during", "after" or "vehicle"
 */
public record Evidence(String role, String sha256, Instant at, byte[] jpeg) {
}

package kz.ikomek.vision.detectors;

import java.time.Instant;

/**
 * A JPEG that shows why a candidate was raised, content-addressed by the SHA-256 of its bytes.
 *
 * @param role   what the frame shows: "frame", "before", "during", "after" or "vehicle"
 * @param detail what a model saw in it, for people to read (the vehicle: "truck 0.41, bus 0.30"), or null
 */
public record Evidence(String role, String sha256, Instant at, byte[] jpeg, String detail) {

    public Evidence(String role, String sha256, Instant at, byte[] jpeg) {
        this(role, sha256, at, jpeg, null);
    }

    public Evidence withDetail(String text) {
        return new Evidence(role, sha256, at, jpeg, text);
    }
}

package kz.ikomek.vision.bridge.evidence;

import java.time.Instant;

/** The evidence column family's value per SHA-256: size and the last time an incident referenced it. */
public record EvidenceMeta(long bytes, Instant lastUsed) {
}

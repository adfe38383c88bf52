package kz.ikomek.vision.config;

import java.nio.file.Path;

/** Where the RocksDB state and the evidence JPEGs live (relative paths resolve against the config file). */
public record StorageConfig(Path dir, EvidenceRetention retention) {

    /** Evidence is deleted after {@code days}, or oldest-first once it takes more than {@code maxBytes}. */
    public record EvidenceRetention(int days, long maxBytes) {
    }
}

package kz.ikomek.vision.bridge;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import kz.ikomek.vision.bridge.delivery.KafkaOptions;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.delivery.RetryPolicy;
import kz.ikomek.vision.bridge.evidence.RetentionOptions;

/**
 * Everything the bridge needs, independent of the YAML config records (the app maps config → this).
 *
 * @param dir                 the bridge's own directory: RocksDB (incidents and their JPEGs) in {@code dir/db}
 * @param mergeRadiusMeters   a candidate joins an open incident of the same type this close (haversine)
 * @param cooldown            a RESOLVED incident suppresses the same type and place this long
 * @param rejectSuppression   a REJECTED incident (false alarm) suppresses the same type and place this long
 * @param dumpingMergeWindow  two dumping events in the same camera zone this close in time are one incident
 * @param evidencePerCamera   frames kept per camera per incident: the first half and the latest half
 * @param kafka               null: no Kafka delivery
 * @param open311             null: no case system delivery
 */
public record BridgeOptions(Path dir, double mergeRadiusMeters, Duration cooldown, Duration rejectSuppression,
                            Duration dumpingMergeWindow, int evidencePerCamera, RetentionOptions retention,
                            KafkaOptions kafka, Open311Options open311, RetryPolicy retry, Clock clock) {

    public BridgeOptions {
        Objects.requireNonNull(dir, "dir");
        if (!(mergeRadiusMeters >= 0)) {
            throw new IllegalArgumentException("mergeRadiusMeters: must be >= 0, got " + mergeRadiusMeters);
        }
        requirePositive("cooldown", cooldown);
        requirePositive("rejectSuppression", rejectSuppression);
        requirePositive("dumpingMergeWindow", dumpingMergeWindow);
        if (evidencePerCamera < 1) {
            throw new IllegalArgumentException("evidencePerCamera: must be >= 1, got " + evidencePerCamera);
        }
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
    }

    /** DESIGN.md's defaults: 30 m, 6 h cooldown; a day of suppression after a false alarm; no delivery. */
    public static BridgeOptions defaults(Path dir) {
        return new BridgeOptions(dir, 30, Duration.ofHours(6), Duration.ofHours(24), Duration.ofMinutes(10), 6,
                RetentionOptions.defaults(), null, null, RetryPolicy.defaults(), Clock.systemUTC());
    }

    public BridgeOptions withMergeRadiusMeters(double meters) {
        return new BridgeOptions(dir, meters, cooldown, rejectSuppression, dumpingMergeWindow, evidencePerCamera,
                retention, kafka, open311, retry, clock);
    }

    public BridgeOptions withCooldown(Duration value) {
        return new BridgeOptions(dir, mergeRadiusMeters, value, rejectSuppression, dumpingMergeWindow,
                evidencePerCamera, retention, kafka, open311, retry, clock);
    }

    public BridgeOptions withRejectSuppression(Duration value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, value, dumpingMergeWindow, evidencePerCamera,
                retention, kafka, open311, retry, clock);
    }

    public BridgeOptions withDumpingMergeWindow(Duration value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, rejectSuppression, value, evidencePerCamera,
                retention, kafka, open311, retry, clock);
    }

    public BridgeOptions withEvidencePerCamera(int value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, rejectSuppression, dumpingMergeWindow, value,
                retention, kafka, open311, retry, clock);
    }

    public BridgeOptions withRetention(RetentionOptions value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, rejectSuppression, dumpingMergeWindow,
                evidencePerCamera, value, kafka, open311, retry, clock);
    }

    public BridgeOptions withKafka(KafkaOptions value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, rejectSuppression, dumpingMergeWindow,
                evidencePerCamera, retention, value, open311, retry, clock);
    }

    public BridgeOptions withOpen311(Open311Options value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, rejectSuppression, dumpingMergeWindow,
                evidencePerCamera, retention, kafka, value, retry, clock);
    }

    public BridgeOptions withRetry(RetryPolicy value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, rejectSuppression, dumpingMergeWindow,
                evidencePerCamera, retention, kafka, open311, value, clock);
    }

    public BridgeOptions withClock(Clock value) {
        return new BridgeOptions(dir, mergeRadiusMeters, cooldown, rejectSuppression, dumpingMergeWindow,
                evidencePerCamera, retention, kafka, open311, retry, value);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": must be a positive duration, got " + d);
        }
    }
}

package kz.ikomek.vision.bridge.evidence;

import java.time.Duration;

/**
 * How long evidence JPEGs stay: older than {@code maxAge}, or beyond {@code maxBytes} in total (oldest first),
 * they are deleted, except the evidence of open incidents, which is never deleted.
 */
public record RetentionOptions(Duration maxAge, long maxBytes, Duration interval) {

    public RetentionOptions {
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("retention.maxAge: must be a positive duration, got " + maxAge);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("retention.maxBytes: must be > 0, got " + maxBytes);
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("retention.interval: must be a positive duration, got " + interval);
        }
    }

    /** 90 days, 50 GiB, checked every 10 minutes. */
    public static RetentionOptions defaults() {
        return new RetentionOptions(Duration.ofDays(90), 50L << 30, Duration.ofMinutes(10));
    }

    public static RetentionOptions of(int days, long maxBytes) {
        return new RetentionOptions(Duration.ofDays(days), maxBytes, Duration.ofMinutes(10));
    }
}

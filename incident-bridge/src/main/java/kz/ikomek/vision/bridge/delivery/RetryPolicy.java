package kz.ikomek.vision.bridge.delivery;

import java.time.Duration;

/**
 * Exponential backoff for a delivery channel: {@code initial × 2^(attempt-1)}, capped at {@code max}, with
 * up to 20% jitter so that many queued entries don't retry in lockstep. After {@code maxAttempts} failures
 * the entry is dead-lettered: the incident shows {@code deliveryFailed} until someone retries it.
 */
public record RetryPolicy(Duration initial, Duration max, int maxAttempts) {

    public RetryPolicy {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("retry.initial: must be a positive duration, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry.max: must be >= retry.initial, got " + max);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts: must be >= 1, got " + maxAttempts);
        }
    }

    /** 0.5 s doubling to 1 min, 15 attempts: about ten minutes of trying before operators are told. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(500), Duration.ofMinutes(1), 15);
    }

    /** The wait after the given failed attempt (1-based), jitter included. */
    public Duration backoff(int attempt, double random01) {
        double millis = initial.toMillis() * Math.pow(2, Math.min(30, attempt - 1));
        millis = Math.min(millis, max.toMillis());
        return Duration.ofMillis((long) (millis * (1 + 0.2 * random01)));
    }
}

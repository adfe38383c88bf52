package kz.ikomek.vision.ingest.session;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, capped: 1 s, 2 s, 4 s ... up to the cap, each wait drawn from
 * [half, full] of its step so that hundreds of cameras behind one failed switch do not reconnect in
 * lockstep. A session that streamed for a healthy period starts again from the first step.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final long healthyNanos;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(Duration initial, Duration max, Duration healthyAfter, RandomGenerator random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.healthyNanos = healthyAfter.toNanos();
        this.random = random;
    }

    /** The wait before the next attempt; each call doubles the step up to the cap. */
    public synchronized Duration next() {
        long step = initialNanos;
        for (int i = 0; i < attempt && step < maxNanos; i++) {
            step = Math.min(maxNanos, step * 2);
        }
        attempt++;
        long half = step / 2;
        return Duration.ofNanos(half + (long) (random.nextDouble() * (step - half)));
    }

    /** The last connection streamed for {@code streamed}: long enough resets the backoff. */
    public synchronized void streamedFor(Duration streamed) {
        if (streamed.toNanos() >= healthyNanos) {
            attempt = 0;
        }
    }

    public synchronized int attempts() {
        return attempt;
    }
}

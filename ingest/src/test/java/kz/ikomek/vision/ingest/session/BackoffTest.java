package kz.ikomek.vision.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(60), new Random(1));

    @Test
    void doubles_each_step_within_half_to_full_jitter_and_stops_at_the_cap() {
        long[] steps = {1000, 2000, 4000, 8000, 8000, 8000};
        for (long step : steps) {
            long ms = backoff.next().toMillis();
            assertThat(ms).isBetween(step / 2, step);
        }
    }

    @Test
    void jitter_spreads_cameras_that_failed_together() {
        Random shared = new Random(7);
        java.util.Set<Long> waits = new java.util.HashSet<>();
        for (int camera = 0; camera < 20; camera++) {
            waits.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(60), shared).next().toMillis());
        }
        assertThat(waits).hasSizeGreaterThan(15);
    }

    @Test
    void a_healthy_period_resets_to_the_first_step_and_a_short_one_does_not() {
        for (int i = 0; i < 5; i++) {
            backoff.next();
        }
        backoff.streamedFor(Duration.ofSeconds(5));
        assertThat(backoff.next().toMillis()).isGreaterThanOrEqualTo(4000);
        backoff.streamedFor(Duration.ofSeconds(61));
        assertThat(backoff.next().toMillis()).isLessThanOrEqualTo(1000);
    }
}

package kz.ikomek.vision.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand: throttling is about time, and tests must not sleep. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-15T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void blocks_a_username_after_five_failures_until_the_oldest_leaves_the_window() {
        ManualClock clock = new ManualClock();
        LoginThrottle t = new LoginThrottle(clock, Duration.ofMinutes(15), 5, 20);
        for (int i = 0; i < 4; i++) {
            t.failed("alice", "10.0.0." + i);
            clock.now = clock.now.plusSeconds(60);
        }
        assertThat(t.blockedFor("alice", "10.0.0.99")).isEmpty();
        t.failed("alice", "10.0.0.4");
        assertThat(t.blockedFor("alice", "10.0.0.99")).contains(Duration.ofMinutes(11));
        assertThat(t.blockedFor("bob", "10.0.0.99")).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThat(t.blockedFor("alice", "10.0.0.99")).isEmpty();
    }

    @Test
    void blocks_an_address_that_guesses_many_usernames() {
        ManualClock clock = new ManualClock();
        LoginThrottle t = new LoginThrottle(clock, Duration.ofMinutes(15), 5, 3);
        t.failed("a", "10.9.9.9");
        t.failed("b", "10.9.9.9");
        assertThat(t.blockedFor("c", "10.9.9.9")).isEmpty();
        t.failed("c", "10.9.9.9");
        assertThat(t.blockedFor("d", "10.9.9.9")).isPresent();
        assertThat(t.blockedFor("d", "10.1.1.1")).isEmpty();
    }

    @Test
    void a_successful_login_clears_the_username_and_sweep_forgets_old_keys() {
        ManualClock clock = new ManualClock();
        LoginThrottle t = new LoginThrottle(clock, Duration.ofMinutes(15), 2, 20);
        t.failed("alice", "10.0.0.1");
        t.succeeded("alice");
        t.failed("alice", "10.0.0.1");
        assertThat(t.blockedFor("alice", "10.0.0.1")).isEmpty();
        t.failed("alice", "10.0.0.1");
        assertThat(t.blockedFor("alice", "10.0.0.1")).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        t.sweep();
        assertThat(t.blockedFor("alice", "10.0.0.1")).isEmpty();
    }
}

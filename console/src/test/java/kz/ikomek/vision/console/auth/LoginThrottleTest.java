package kz.ikomek.vision.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import kz.ikomek.vision.console.auth.LoginThrottle.Blocked;
import kz.ikomek.vision.console.auth.LoginThrottle.Limits;
import kz.ikomek.vision.console.auth.LoginThrottle.Permit;
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

    private final ManualClock clock = new ManualClock();

    private LoginThrottle throttle(Limits limits) {
        return new LoginThrottle(clock, Duration.ofMinutes(15), limits, Duration.ofHours(12));
    }

    private static void fail(LoginThrottle t, String user, String address) {
        ((Permit) t.reserve(user, address)).failed();
    }

    @Test
    void attempts_in_flight_count_so_a_burst_gets_only_five_permits() {
        LoginThrottle t = throttle(Limits.DEFAULT);
        int permits = 0;
        for (int i = 0; i < 40; i++) {
            // None of them has finished its password check yet: the reservations alone must hold the line.
            if (t.reserve("racetest", "10.0.0.1") instanceof Permit) {
                permits++;
            }
        }
        assertThat(permits).isEqualTo(5);
    }

    @Test
    void blocks_a_pair_after_five_failures_until_the_oldest_leaves_the_window() {
        LoginThrottle t = throttle(Limits.DEFAULT);
        for (int i = 0; i < 4; i++) {
            fail(t, "alice", "10.0.0.1");
            clock.now = clock.now.plusSeconds(60);
        }
        assertThat(t.reserve("alice", "10.0.0.1")).isInstanceOf(Permit.class);
        assertThat(t.reserve("alice", "10.0.0.1")).isEqualTo(new Blocked(Duration.ofMinutes(11)));
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThat(t.reserve("alice", "10.0.0.1")).isInstanceOf(Permit.class);
    }

    @Test
    void a_stranger_cannot_lock_a_user_out_of_another_address() {
        LoginThrottle t = throttle(Limits.DEFAULT);
        for (int i = 0; i < 5; i++) {
            fail(t, "police", "203.0.113.9");
        }
        assertThat(t.reserve("police", "203.0.113.9")).isInstanceOf(Blocked.class);
        assertThat(t.reserve("police", "10.0.0.7")).isInstanceOf(Permit.class);
    }

    @Test
    void many_addresses_hit_the_per_user_limit_but_not_an_address_the_user_logged_in_from() {
        LoginThrottle t = throttle(new Limits(5, 20, 10));
        ((Permit) t.reserve("police", "10.0.0.7")).succeeded();
        for (int i = 0; i < 10; i++) {
            fail(t, "police", "203.0.113." + i);
        }
        assertThat(t.reserve("police", "203.0.113.200")).isInstanceOf(Blocked.class);
        assertThat(t.reserve("police", "10.0.0.7")).isInstanceOf(Permit.class);
    }

    @Test
    void blocks_an_address_that_guesses_many_usernames() {
        LoginThrottle t = throttle(new Limits(5, 3, 100));
        fail(t, "a", "10.9.9.9");
        fail(t, "b", "10.9.9.9");
        fail(t, "c", "10.9.9.9");
        assertThat(t.reserve("d", "10.9.9.9")).isInstanceOf(Blocked.class);
        assertThat(t.reserve("d", "10.1.1.1")).isInstanceOf(Permit.class);
    }

    @Test
    void a_success_returns_its_reservation_and_an_admin_can_clear_a_name() {
        LoginThrottle t = throttle(new Limits(2, 20, 100));
        fail(t, "alice", "10.0.0.1");
        ((Permit) t.reserve("alice", "10.0.0.1")).succeeded();
        fail(t, "alice", "10.0.0.1");
        assertThat(t.reserve("alice", "10.0.0.1")).isInstanceOf(Permit.class);
        assertThat(t.reserve("alice", "10.0.0.1")).isInstanceOf(Blocked.class);
        assertThat(t.clear("alice")).isTrue();
        assertThat(t.reserve("alice", "10.0.0.1")).isInstanceOf(Permit.class);
    }

    @Test
    void sweep_forgets_old_keys() {
        LoginThrottle t = throttle(new Limits(2, 20, 100));
        fail(t, "alice", "10.0.0.1");
        fail(t, "alice", "10.0.0.1");
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        t.sweep();
        assertThat(t.reserve("alice", "10.0.0.1")).isInstanceOf(Permit.class);
    }
}

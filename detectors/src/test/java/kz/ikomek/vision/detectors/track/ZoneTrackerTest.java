package kz.ikomek.vision.detectors.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.Observation;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import org.junit.jupiter.api.Test;

class ZoneTrackerTest {

    static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");
    static final Duration CADENCE = Duration.ofSeconds(5);
    static final CameraSite SITE = new CameraSite("cam-1", new GeoPoint(51.128, 71.43), "Kabanbay Batyr Ave 1",
            List.of(Zone.wholeFrame()));

    final ZoneTracker tracker = new ZoneTracker(SITE, "frame", IncidentType.FLOOD,
            new TrackerPolicy(4, 5, Duration.ofSeconds(10), Duration.ofMinutes(10)));
    final List<ZoneTracker.Change> changes = new ArrayList<>();
    int step;

    /** Feeds one observation per cadence tick; '1' positive (score 0.9), '0' negative (0.1). */
    void feed(String pattern) {
        for (char c : pattern.toCharArray()) {
            boolean pos = c == '1';
            Instant at = T0.plus(CADENCE.multipliedBy(step++));
            Optional<ZoneTracker.Change> change = tracker.observe(
                    new Observation("cam-1", "frame", IncidentType.FLOOD, pos ? 0.9 : 0.1, pos, null, at),
                    () -> new Evidence("frame", "sha-" + at, at, new byte[] {1}));
            change.ifPresent(changes::add);
        }
    }

    @Test
    void raises_once_after_4_of_5_positive_observations_spanning_the_minimum_duration() {
        feed("1110");
        assertThat(changes).isEmpty();
        feed("1");
        assertThat(changes).hasSize(1);
        var raised = (ZoneTracker.Raised) changes.get(0);
        assertThat(raised.candidate().type()).isEqualTo(IncidentType.FLOOD);
        assertThat(raised.candidate().firstSeen()).isEqualTo(T0);
        assertThat(raised.candidate().lastSeen()).isEqualTo(T0.plusSeconds(20));
        assertThat(raised.candidate().address()).isEqualTo("Kabanbay Batyr Ave 1");
        assertThat(raised.candidate().evidence()).singleElement()
                .satisfies(e -> assertThat(e.at()).isEqualTo(T0));   // the first (best) positive frame
        feed("11111");
        assertThat(changes).hasSize(1);      // still the same condition: no second candidate
    }

    @Test
    void flicker_never_raises() {
        feed("10".repeat(60));               // five minutes of every-other-frame positives
        feed("1001".repeat(30));
        feed("11000".repeat(30));            // bursts of two
        assertThat(changes).isEmpty();
    }

    @Test
    void a_burst_shorter_than_the_minimum_duration_does_not_raise() {
        ZoneTracker t = new ZoneTracker(SITE, "frame", IncidentType.FLOOD,
                new TrackerPolicy(4, 5, Duration.ofSeconds(30), Duration.ofMinutes(10)));
        for (int i = 0; i < 4; i++) {   // four positives within 3 seconds: a reconnect burst
            Instant at = T0.plusSeconds(i);
            assertThat(t.observe(new Observation("cam-1", "frame", IncidentType.FLOOD, 0.9, true, null, at),
                    () -> null)).isEmpty();
        }
        Instant later = T0.plusSeconds(31);
        assertThat(t.observe(new Observation("cam-1", "frame", IncidentType.FLOOD, 0.9, true, null, later),
                () -> null)).containsInstanceOf(ZoneTracker.Raised.class);
    }

    @Test
    void stays_raised_through_misses_and_clears_only_after_the_clear_duration() {
        feed("11111");
        assertThat(changes).hasSize(1);
        feed("0".repeat(60));                // 5 minutes of negatives: under clearDuration (10 min)
        feed("1");                           // the condition is seen again
        feed("0".repeat(100));               // 8 min 20 s of negatives: still under 10 min since that positive
        assertThat(changes).hasSize(1);
        feed("0".repeat(21));                // past 10 minutes
        assertThat(changes).hasSize(2);
        var cleared = (ZoneTracker.Cleared) changes.get(1);
        assertThat(cleared.firstSeen()).isEqualTo(T0);
        assertThat(cleared.lastSeen()).isEqualTo(T0.plus(CADENCE.multipliedBy(65)));
        assertThat(tracker.raised()).isFalse();
    }

    @Test
    void after_clearing_the_same_condition_must_earn_K_of_N_again() {
        feed("11111");
        feed("0".repeat(121));
        assertThat(changes).hasSize(2);
        feed("101");                         // not enough for a new candidate
        assertThat(changes).hasSize(2);
        feed("11");                          // 4 of the last 5
        assertThat(changes).hasSize(3).last().isInstanceOf(ZoneTracker.Raised.class);
    }
}

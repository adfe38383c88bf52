package kz.ikomek.vision.bridge;

import static kz.ikomek.vision.bridge.Candidates.KABANBAY;
import static kz.ikomek.vision.bridge.Candidates.north;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.bridge.Recorded.Outcome;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentBridgeTest {

    static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    @TempDir
    Path dir;
    MutableClock clock;
    IncidentBridge bridge;

    @BeforeEach
    void open() {
        clock = new MutableClock(T0);
        bridge = IncidentBridge.open(options());
    }

    BridgeOptions options() {
        return BridgeOptions.defaults(dir).withClock(clock).withEvidencePerCamera(4);
    }

    @AfterEach
    void close() {
        bridge.close();
    }

    @Test
    void the_same_place_seen_by_two_cameras_is_one_incident_with_both_cameras() {
        Recorded a = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0));
        Recorded b = bridge.record(Candidates.of(IncidentType.SNOW, "cam-2", "yard", north(KABANBAY, 20), T0));

        assertThat(a.outcome()).isEqualTo(Outcome.OPENED);
        assertThat(b.outcome()).isEqualTo(Outcome.MERGED);
        assertThat(b.incident().id()).isEqualTo(a.incident().id());
        Incident stored = bridge.get(a.incident().id()).orElseThrow();
        assertThat(stored.cameras()).containsExactly("cam-1", "cam-2");
        assertThat(stored.evidence()).hasSize(2);
        assertThat(bridge.evidence(stored.evidence().get(0).sha256())).isPresent();
    }

    @Test
    void another_type_or_a_place_beyond_the_radius_opens_a_new_incident() {
        String snow = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident().id();
        Recorded flood = bridge.record(Candidates.of(IncidentType.FLOOD, "cam-1", "road", KABANBAY, T0));
        Recorded far = bridge.record(Candidates.of(IncidentType.SNOW, "cam-3", "road", north(KABANBAY, 45), T0));

        assertThat(flood.outcome()).isEqualTo(Outcome.OPENED);
        assertThat(far.outcome()).isEqualTo(Outcome.OPENED);
        assertThat(far.incident().id()).isNotEqualTo(snow);
        assertThat(bridge.list(null, null)).hasSize(3);
        assertThat(bridge.list(null, IncidentType.SNOW)).hasSize(2);
    }

    @Test
    void evidence_per_camera_is_bounded_to_the_first_and_latest_frames() {
        for (int i = 0; i < 50; i++) {
            bridge.record(Candidates.of(IncidentType.FLOOD, "cam-1", "road", KABANBAY, T0.plusSeconds(30L * i)));
        }
        Incident i = bridge.list(null, null).get(0);
        assertThat(i.evidence()).hasSize(4);
        assertThat(i.evidence()).extracting(EvidenceRef::at).containsExactly(T0, T0.plusSeconds(30),
                T0.plusSeconds(30L * 48), T0.plusSeconds(30L * 49));
        assertThat(i.lastSeen()).isEqualTo(T0.plusSeconds(30L * 49));
    }

    @Test
    void a_rejected_incident_suppresses_its_key_for_the_window_then_lets_it_open_again() {
        String id = bridge.record(Candidates.of(IncidentType.OPEN_MANHOLE, "cam-1", "walk", KABANBAY, T0))
                .incident().id();
        Incident rejected = bridge.act(id, IncidentAction.REJECT, "operator", "a shadow");
        assertThat(rejected.state()).isEqualTo(IncidentState.REJECTED);
        assertThat(rejected.history()).last().satisfies(t -> {
            assertThat(t.actor()).isEqualTo("operator");
            assertThat(t.reason()).isEqualTo("a shadow");
            assertThat(t.from()).isIn(IncidentState.DETECTED, IncidentState.PENDING_REVIEW);
        });

        Recorded again = bridge.record(Candidates.of(IncidentType.OPEN_MANHOLE, "cam-1", "walk", KABANBAY,
                T0.plusSeconds(60)));
        assertThat(again.outcome()).isEqualTo(Outcome.SUPPRESSED);
        assertThat(again.incident().id()).isEqualTo(id);

        clock.advance(Duration.ofHours(25));
        assertThat(bridge.record(Candidates.of(IncidentType.OPEN_MANHOLE, "cam-1", "walk", KABANBAY,
                T0.plusSeconds(90_000))).outcome()).isEqualTo(Outcome.OPENED);
    }

    @Test
    void a_resolved_incident_reopens_only_after_its_cooldown() {
        String id = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident().id();
        bridge.act(id, IncidentAction.CONFIRM, "operator", null);
        bridge.act(id, IncidentAction.DISPATCH, "operator", "snow-removal crew 4");
        Incident resolved = bridge.act(id, IncidentAction.RESOLVE, "utility", "cleared");
        assertThat(resolved.history()).extracting(Transition::to).endsWith(IncidentState.CONFIRMED,
                IncidentState.DISPATCHED, IncidentState.RESOLVED);

        clock.advance(Duration.ofHours(1));
        assertThat(bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0.plusSeconds(3600)))
                .outcome()).isEqualTo(Outcome.SUPPRESSED);
        clock.advance(Duration.ofHours(6));
        Recorded reopened = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY,
                T0.plusSeconds(7 * 3600)));
        assertThat(reopened.outcome()).isEqualTo(Outcome.OPENED);
        assertThat(reopened.reason()).contains("re-opened after the cooldown of " + id);
    }

    @Test
    void illegal_transitions_are_refused_with_a_clear_message() {
        String id = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident().id();
        assertThatThrownBy(() -> bridge.act(id, IncidentAction.RESOLVE, "utility", null))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining(id).hasMessageContaining("cannot resolve");
        assertThatThrownBy(() -> bridge.act("inc-nope", IncidentAction.CONFIRM, "operator", null))
                .isInstanceOf(IncidentNotFoundException.class).hasMessageContaining("inc-nope");
        bridge.act(id, IncidentAction.REJECT, "operator", "no snow");
        assertThatThrownBy(() -> bridge.act(id, IncidentAction.CONFIRM, "operator", null))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("REJECTED");
    }

    @Test
    void dumping_events_stay_distinct_unless_in_the_same_zone_within_the_window() {
        Recorded a = bridge.record(Candidates.dumping("ev-1", "cam-7", "lot", KABANBAY, T0));
        Recorded sameZoneSoon = bridge.record(Candidates.dumping("ev-2", "cam-7", "lot", KABANBAY, T0.plusSeconds(120)));
        Recorded otherZone = bridge.record(Candidates.dumping("ev-3", "cam-8", "lot", KABANBAY, T0.plusSeconds(120)));
        Recorded sameZoneLater = bridge.record(Candidates.dumping("ev-4", "cam-7", "lot", KABANBAY,
                T0.plusSeconds(3600)));
        Recorded replay = bridge.record(Candidates.dumping("ev-3", "cam-8", "lot", KABANBAY, T0.plusSeconds(120)));

        assertThat(sameZoneSoon.incident().id()).isEqualTo(a.incident().id());
        assertThat(otherZone.outcome()).isEqualTo(Outcome.OPENED);
        assertThat(sameZoneLater.outcome()).isEqualTo(Outcome.OPENED);
        assertThat(replay.incident().id()).isEqualTo(otherZone.incident().id());
        assertThat(bridge.list(null, IncidentType.DUMPING)).hasSize(3);
    }

    @Test
    void an_incident_expires_when_its_condition_cleared_on_every_zone_before_anyone_acted() {
        String id = bridge.record(Candidates.of(IncidentType.FLOOD, "cam-1", "road", KABANBAY, T0)).incident().id();
        bridge.record(Candidates.of(IncidentType.FLOOD, "cam-2", "road", KABANBAY, T0));

        assertThat(bridge.conditionCleared("cam-1", "road", IncidentType.FLOOD, T0.plusSeconds(600))).isEmpty();
        List<Incident> expired = bridge.conditionCleared("cam-2", "road", IncidentType.FLOOD, T0.plusSeconds(700));

        assertThat(expired).extracting(Incident::id).containsExactly(id);
        assertThat(bridge.get(id).orElseThrow().state()).isEqualTo(IncidentState.EXPIRED);
        assertThat(bridge.get(id).orElseThrow().history()).last().extracting(Transition::actor).isEqualTo("tracker");
        assertThat(bridge.record(Candidates.of(IncidentType.FLOOD, "cam-1", "road", KABANBAY, T0.plusSeconds(900)))
                .outcome()).isEqualTo(Outcome.OPENED);
    }

    @Test
    void without_kafka_a_new_incident_moves_to_pending_review_once_shown() throws Exception {
        String id = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident().id();
        Awaits.until(Duration.ofSeconds(10), () -> bridge.get(id).orElseThrow().state() == IncidentState.PENDING_REVIEW);
        assertThat(bridge.get(id).orElseThrow().history()).extracting(Transition::to)
                .containsExactly(IncidentState.DETECTED, IncidentState.PENDING_REVIEW);
    }

    @Test
    void everything_survives_a_restart() {
        String id = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident().id();
        bridge.act(id, IncidentAction.CONFIRM, "operator", "plenty of snow");
        bridge.close();
        bridge = IncidentBridge.open(options());

        assertThat(bridge.get(id).orElseThrow().state()).isEqualTo(IncidentState.CONFIRMED);
        assertThat(bridge.record(Candidates.of(IncidentType.SNOW, "cam-9", "road", north(KABANBAY, 10), T0))
                .incident().id()).isEqualTo(id);
    }

    @Test
    void malformed_candidates_are_refused_naming_the_field() {
        var bad = new kz.ikomek.vision.detectors.Candidate("e", "cam-1", "road", IncidentType.SNOW,
                new kz.ikomek.vision.config.GeoPoint(123, 71), "x", T0, T0, 1.7, List.of());
        assertThatThrownBy(() -> bridge.record(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("place").hasMessageContaining("bestScore 1.7");
    }
}

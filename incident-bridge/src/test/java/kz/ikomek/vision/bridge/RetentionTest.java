package kz.ikomek.vision.bridge;

import static kz.ikomek.vision.bridge.Candidates.KABANBAY;
import static kz.ikomek.vision.bridge.Candidates.north;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import kz.ikomek.vision.bridge.evidence.RetentionOptions;
import kz.ikomek.vision.bridge.evidence.RetentionReport;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {

    static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void old_evidence_of_closed_incidents_goes_but_open_incidents_keep_theirs() {
        MutableClock clock = new MutableClock(T0);
        BridgeOptions o = BridgeOptions.defaults(dir).withClock(clock)
                .withRetention(new RetentionOptions(Duration.ofDays(7), 1L << 30, Duration.ofHours(1)));
        try (IncidentBridge bridge = IncidentBridge.open(o)) {
            Incident open = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident();
            Incident closed = bridge.record(Candidates.of(IncidentType.SNOW, "cam-2", "road",
                    north(KABANBAY, 500), T0)).incident();
            bridge.act(closed.id(), IncidentAction.REJECT, "operator", "glare");

            clock.advance(Duration.ofDays(8));
            RetentionReport r = bridge.runRetention();

            assertThat(r.deletedFiles()).isEqualTo(1);
            assertThat(r.protectedFiles()).isEqualTo(1);
            assertThat(bridge.evidence(open.evidence().get(0).sha256())).isPresent();
            assertThat(bridge.evidence(closed.evidence().get(0).sha256())).isEmpty();
        }
    }

    @Test
    void over_the_byte_budget_the_oldest_unprotected_evidence_goes_first() {
        MutableClock clock = new MutableClock(T0);
        BridgeOptions o = BridgeOptions.defaults(dir).withClock(clock)
                .withRetention(new RetentionOptions(Duration.ofDays(365), 60, Duration.ofHours(1)));
        try (IncidentBridge bridge = IncidentBridge.open(o)) {
            Incident[] all = new Incident[3];
            for (int i = 0; i < 3; i++) {
                all[i] = bridge.record(Candidates.of(IncidentType.FLOOD, "cam-" + i, "road",
                        north(KABANBAY, 500.0 * i), T0)).incident();
                bridge.act(all[i].id(), IncidentAction.REJECT, "operator", "puddle");
                clock.advance(Duration.ofMinutes(1));
            }
            RetentionReport r = bridge.runRetention();

            assertThat(r.bytes()).isGreaterThan(60);
            assertThat(r.bytes() - r.deletedBytes()).isLessThanOrEqualTo(60);
            assertThat(bridge.evidence(all[0].evidence().get(0).sha256())).isEmpty();
            assertThat(bridge.evidence(all[2].evidence().get(0).sha256())).isPresent();
        }
    }

    @Test
    void frames_no_incident_kept_are_never_stored() {
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir).withEvidencePerCamera(1))) {
            var c = Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0);
            var early = Candidates.jpeg("early", T0);
            var late = Candidates.jpeg("late", T0.plusSeconds(5));
            var twoFrames = new kz.ikomek.vision.detectors.Candidate(c.eventId(), c.cameraId(), c.zoneId(), c.type(),
                    c.place(), c.address(), c.firstSeen(), c.lastSeen(), c.bestScore(), java.util.List.of(early, late));

            Incident i = bridge.record(twoFrames).incident();

            assertThat(i.evidence()).hasSize(1);
            String kept = i.evidence().get(0).sha256();
            String dropped = kept.equals(early.sha256()) ? late.sha256() : early.sha256();
            assertThat(bridge.evidence(kept)).isPresent();
            assertThat(bridge.evidence(dropped)).isEmpty();
            assertThat(bridge.runRetention().files()).isEqualTo(1);
        }
    }
}

package kz.ikomek.vision.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.Test;

class AccessTest {

    private static final Instant T = Instant.parse("2026-01-15T08:00:00Z");
    private static final User OPERATOR = new User("op", Role.OPERATOR, null, "$2a$04$x");
    private static final User POLICE = new User("pol", Role.POLICE, null, "$2a$04$x");
    private static final User SNOW = new User("snow", Role.UTILITY, "snow-removal", "$2a$04$x");
    private static final User DRAINS = new User("drains", Role.UTILITY, "storm-drain", "$2a$04$x");
    private static final User ADMIN = new User("adm", Role.ADMIN, null, "$2a$04$x");
    private static final EvidenceRef FRAME = new EvidenceRef("a".repeat(64), "frame", "cam-1", T);
    private static final EvidenceRef VEHICLE = new EvidenceRef("b".repeat(64), "vehicle", "cam-1", T);

    private static Incident incident(IncidentType type, IncidentState state, String service, IncidentState... path) {
        List<Transition> history = new java.util.ArrayList<>();
        history.add(new Transition(null, IncidentState.DETECTED, "tracker", T, null));
        IncidentState prev = IncidentState.DETECTED;
        for (IncidentState s : path) {
            history.add(new Transition(prev, s, "op", T, null));
            prev = s;
        }
        return new Incident("i-1", type, state, new GeoPoint(51.128, 71.43), "Kabanbay Batyr Ave 1", T, T,
                List.of("cam-1"), 0.9, List.of(FRAME, VEHICLE), history, service, null, false);
    }

    @Test
    void police_see_and_judge_dumping_only() {
        Incident dumping = incident(IncidentType.DUMPING, IncidentState.PENDING_REVIEW, "illegal-dumping");
        Incident snow = incident(IncidentType.SNOW, IncidentState.PENDING_REVIEW, "snow-removal");
        assertThat(Access.canSee(POLICE, dumping)).isTrue();
        assertThat(Access.canSee(POLICE, snow)).isFalse();
        assertThat(Access.actions(POLICE, dumping)).containsExactlyInAnyOrder(IncidentAction.CONFIRM, IncidentAction.REJECT);
        assertThat(Access.mayAct(POLICE, dumping, IncidentAction.DISPATCH)).isFalse();
        assertThat(Access.canSeeEvidence(POLICE, dumping, FRAME)).isTrue();
        assertThat(Access.canExport(POLICE, dumping)).isTrue();
    }

    @Test
    void a_utility_sees_only_what_was_dispatched_to_its_own_service() {
        Incident pending = incident(IncidentType.SNOW, IncidentState.CONFIRMED, "snow-removal", IncidentState.CONFIRMED);
        Incident dispatched = incident(IncidentType.SNOW, IncidentState.DISPATCHED, "snow-removal",
                IncidentState.CONFIRMED, IncidentState.DISPATCHED);
        Incident resolved = incident(IncidentType.SNOW, IncidentState.RESOLVED, "snow-removal",
                IncidentState.CONFIRMED, IncidentState.DISPATCHED, IncidentState.RESOLVED);
        assertThat(Access.canSee(SNOW, pending)).isFalse();
        assertThat(Access.canSee(SNOW, dispatched)).isTrue();
        assertThat(Access.canSee(SNOW, resolved)).isTrue();
        assertThat(Access.canSee(DRAINS, dispatched)).isFalse();
        assertThat(Access.actions(SNOW, dispatched)).containsExactly(IncidentAction.RESOLVE);
        assertThat(Access.needsReason(SNOW, IncidentAction.RESOLVE)).isTrue();
        assertThat(Access.needsReason(OPERATOR, IncidentAction.RESOLVE)).isFalse();
        assertThat(Access.canSeeEvidence(SNOW, dispatched, FRAME)).isTrue();
        assertThat(Access.canSeeEvidence(SNOW, dispatched, VEHICLE)).isFalse();
        assertThat(Access.canExport(SNOW, dispatched)).isFalse();
    }

    @Test
    void frames_of_dumping_scenes_are_vehicle_evidence_for_everyone_but_police_and_operators() {
        Incident dumping = incident(IncidentType.DUMPING, IncidentState.DISPATCHED, "illegal-dumping",
                IncidentState.CONFIRMED, IncidentState.DISPATCHED);
        User cleaners = new User("cl", Role.UTILITY, "illegal-dumping", "$2a$04$x");
        assertThat(Access.canSee(cleaners, dumping)).isTrue();
        assertThat(Access.canSeeEvidence(cleaners, dumping, FRAME)).isFalse();
        assertThat(Access.canSeeEvidence(ADMIN, dumping, FRAME)).isFalse();
        assertThat(Access.canSeeEvidence(OPERATOR, dumping, VEHICLE)).isTrue();
    }

    @Test
    void admins_read_everything_but_act_on_nothing() {
        Incident snow = incident(IncidentType.SNOW, IncidentState.PENDING_REVIEW, "snow-removal");
        assertThat(Access.canSee(ADMIN, snow)).isTrue();
        assertThat(Access.actions(ADMIN, snow)).isEmpty();
        assertThat(Access.canReadAudit(ADMIN)).isTrue();
        assertThat(Access.canReadAudit(OPERATOR)).isFalse();
        assertThat(Access.canSeeCameras(ADMIN)).isTrue();
        assertThat(Access.canSeeCameras(POLICE)).isFalse();
        assertThat(Access.actions(OPERATOR, snow)).containsExactlyInAnyOrder(IncidentAction.values());
    }
}

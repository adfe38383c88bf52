package kz.ikomek.vision.bridge;

import java.util.Map;
import java.util.Set;

/**
 * The allowed moves. People: confirm (DETECTED/PENDING_REVIEW → CONFIRMED), reject (DETECTED/PENDING_REVIEW/
 * CONFIRMED → REJECTED), dispatch (CONFIRMED → DISPATCHED), resolve (DISPATCHED → RESOLVED). The bridge
 * itself: DETECTED → PENDING_REVIEW once the incident is durably stored and published to operators (on
 * Kafka when configured, otherwise to the in-process listeners such as the console); DETECTED/PENDING_REVIEW
 * → EXPIRED when the condition cleared on every zone before anyone acted; CONFIRMED → DISPATCHED when the
 * case system accepted the request and dispatch-on-accept is on.
 */
public final class Lifecycle {

    private static final Map<IncidentAction, Set<IncidentState>> FROM = Map.of(
            IncidentAction.CONFIRM, Set.of(IncidentState.DETECTED, IncidentState.PENDING_REVIEW),
            IncidentAction.REJECT, Set.of(IncidentState.DETECTED, IncidentState.PENDING_REVIEW, IncidentState.CONFIRMED),
            IncidentAction.DISPATCH, Set.of(IncidentState.CONFIRMED),
            IncidentAction.RESOLVE, Set.of(IncidentState.DISPATCHED));

    private Lifecycle() {
    }

    public static boolean allowed(IncidentState from, IncidentAction action) {
        return FROM.get(action).contains(from);
    }

    public static IncidentState target(IncidentAction action) {
        return switch (action) {
            case CONFIRM -> IncidentState.CONFIRMED;
            case REJECT -> IncidentState.REJECTED;
            case DISPATCH -> IncidentState.DISPATCHED;
            case RESOLVE -> IncidentState.RESOLVED;
        };
    }

    /** Condition cleared before anyone acted: only incidents nobody has confirmed yet expire. */
    public static boolean mayExpire(IncidentState from) {
        return from == IncidentState.DETECTED || from == IncidentState.PENDING_REVIEW;
    }

    /** The CloudEvents type of a change into {@code state}, e.g. kz.ikomek.vision.incident.pending_review. */
    public static String eventType(IncidentState state) {
        return "kz.ikomek.vision.incident." + state.name().toLowerCase();
    }
}

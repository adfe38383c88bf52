package kz.ikomek.vision.console.auth;

import java.util.Set;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.config.IncidentType;

/**
 * The role matrix, in one place (console/README.md shows it as a table):
 * <ul>
 *   <li>operator: sees every incident and all evidence, may confirm, reject, dispatch and resolve, sees cameras;</li>
 *   <li>police: sees dumping incidents with all their evidence (vehicles included), may confirm and reject them,
 *       may export a case file;</li>
 *   <li>utility: sees only incidents that were dispatched to its own service, may resolve them with a comment,
 *       never sees frames with vehicles;</li>
 *   <li>admin: reads every incident, the cameras and the audit log, but acts on none: whoever audits the
 *       decisions does not make them; no frames with vehicles either.</li>
 * </ul>
 */
public final class Access {

    private Access() {
    }

    public static boolean canSee(User user, Incident incident) {
        return switch (user.role()) {
            case OPERATOR, ADMIN -> true;
            case POLICE -> incident.type() == IncidentType.DUMPING;
            case UTILITY -> user.service().equals(incident.serviceCode()) && wasDispatched(incident);
        };
    }

    /** The actions this user may take on this (visible) incident, whatever its state. */
    public static Set<IncidentAction> actions(User user, Incident incident) {
        return switch (user.role()) {
            case OPERATOR -> Set.of(IncidentAction.values());
            case POLICE -> incident.type() == IncidentType.DUMPING
                    ? Set.of(IncidentAction.CONFIRM, IncidentAction.REJECT) : Set.of();
            case UTILITY -> canSee(user, incident) ? Set.of(IncidentAction.RESOLVE) : Set.of();
            case ADMIN -> Set.of();
        };
    }

    public static boolean mayAct(User user, Incident incident, IncidentAction action) {
        return canSee(user, incident) && actions(user, incident).contains(action);
    }

    /** A reason is how a rejection is explained to the retraining set, and a utility's resolve comment is its report. */
    public static boolean needsReason(User user, IncidentAction action) {
        return action == IncidentAction.REJECT || (action == IncidentAction.RESOLVE && user.role() == Role.UTILITY);
    }

    /** Frames that can show vehicles (and so number plates): a dumping scene, or an explicit vehicle crop. */
    public static boolean showsVehicles(Incident incident, EvidenceRef ref) {
        return incident.type() == IncidentType.DUMPING || "vehicle".equals(ref.role());
    }

    public static boolean canSeeEvidence(User user, Incident incident, EvidenceRef ref) {
        if (!canSee(user, incident)) {
            return false;
        }
        return switch (user.role()) {
            case OPERATOR, POLICE -> true;
            case UTILITY, ADMIN -> !showsVehicles(incident, ref);
        };
    }

    /** A case file carries every frame, vehicles included: police and operators only. */
    public static boolean canExport(User user, Incident incident) {
        return canSee(user, incident) && (user.role() == Role.OPERATOR || user.role() == Role.POLICE);
    }

    public static boolean canSeeCameras(User user) {
        return user.role() == Role.OPERATOR || user.role() == Role.ADMIN;
    }

    /** Clearing a throttled login name is account care, not a decision on incidents: admins only. */
    public static boolean canUnblockLogins(User user) {
        return user.role() == Role.ADMIN;
    }

    public static boolean canReadAudit(User user) {
        return user.role() == Role.ADMIN;
    }

    private static boolean wasDispatched(Incident incident) {
        return incident.state() == IncidentState.DISPATCHED
                || incident.history().stream().anyMatch(t -> t.to() == IncidentState.DISPATCHED);
    }
}

package kz.ikomek.vision.bridge;

/** DETECTED → PENDING_REVIEW → CONFIRMED → DISPATCHED → RESOLVED, or REJECTED (false alarm), or EXPIRED. */
public enum IncidentState {
    DETECTED, PENDING_REVIEW, CONFIRMED, DISPATCHED, RESOLVED, REJECTED, EXPIRED;

    /** Open incidents absorb new candidates of the same type and place; closed ones don't. */
    public boolean isOpen() {
        return this == DETECTED || this == PENDING_REVIEW || this == CONFIRMED || this == DISPATCHED;
    }
}

package kz.ikomek.vision.bridge;

import java.util.Arrays;
import java.util.Optional;

/** What a person does to an incident: the last segment of {@code POST /api/incidents/{id}/{action}}. */
public enum IncidentAction {
    CONFIRM, REJECT, DISPATCH, RESOLVE;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<IncidentAction> fromWire(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
    }
}

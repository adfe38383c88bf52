package kz.ikomek.vision.bridge;

import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.config.IncidentType;

/** The service code shown on an incident when no case system is configured (what it would be filed under). */
final class Open311DefaultCodes {
    private Open311DefaultCodes() {
    }

    static String of(IncidentType type) {
        return Open311Options.defaultServiceCodes().get(type);
    }
}

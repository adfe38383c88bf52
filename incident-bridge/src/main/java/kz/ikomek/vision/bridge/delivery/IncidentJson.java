package kz.ikomek.vision.bridge.delivery;

import java.util.LinkedHashMap;

import java.util.Map;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Transition;

/** The incident as outsiders read it (CloudEvents data): wire names, ISO-8601 times. */
public final class IncidentJson {

    private IncidentJson() {
    }

    public static Map<String, Object> toMap(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("type", i.type().wireName());
        m.put("state", wire(i.state()));
        m.put("place", Map.of("lat", i.place().lat(), "lon", i.place().lon()));
        m.put("address", i.address());
        m.put("firstSeen", i.firstSeen().toString());
        m.put("lastSeen", i.lastSeen().toString());
        m.put("cameras", i.cameras());
        m.put("bestScore", i.bestScore());
        m.put("evidence", i.evidence().stream().map(IncidentJson::evidence).toList());
        m.put("history", i.history().stream().map(IncidentJson::transition).toList());
        m.put("serviceCode", i.serviceCode());
        m.put("serviceRequestId", i.serviceRequestId());
        m.put("deliveryFailed", i.deliveryFailed());
        return m;
    }

    public static String wire(IncidentState s) {
        return s == null ? null : s.name().toLowerCase();
    }

    private static Map<String, Object> evidence(EvidenceRef e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sha256", e.sha256());
        m.put("role", e.role());
        m.put("cameraId", e.cameraId());
        m.put("at", e.at().toString());
        if (e.detail() != null) {
            m.put("detail", e.detail());
        }
        return m;
    }

    private static Map<String, Object> transition(Transition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", wire(t.from()));
        m.put("to", wire(t.to()));
        m.put("actor", t.actor());
        m.put("at", t.at().toString());
        m.put("reason", t.reason());
        return m;
    }

}

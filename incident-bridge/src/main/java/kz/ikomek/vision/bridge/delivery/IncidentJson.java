package kz.ikomek.vision.bridge.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;

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

    /**
     * Reads back what {@link #toMap} wrote (a CloudEvent's {@code data}): how a worker's read model learns an
     * incident from {@code ikomek.incidents.v1}.
     *
     * @throws IllegalArgumentException a field is missing or not of our wire format (names it)
     */
    public static Incident fromJson(JsonNode d) {
        try {
            List<String> cameras = new ArrayList<>();
            d.get("cameras").forEach(c -> cameras.add(c.asText()));
            List<EvidenceRef> evidence = new ArrayList<>();
            d.get("evidence").forEach(e -> evidence.add(new EvidenceRef(e.get("sha256").asText(),
                    e.get("role").asText(), e.get("cameraId").asText(), Instant.parse(e.get("at").asText()))));
            List<Transition> history = new ArrayList<>();
            d.get("history").forEach(t -> history.add(new Transition(state(t.get("from")), state(t.get("to")),
                    t.get("actor").asText(), Instant.parse(t.get("at").asText()), text(t.get("reason")))));
            String type = d.get("type").asText();
            return new Incident(d.get("id").asText(), IncidentType.fromWire(type).orElseThrow(
                    () -> new IllegalArgumentException("type '" + type + "' is not an incident type")),
                    state(d.get("state")), new GeoPoint(d.get("place").get("lat").asDouble(),
                    d.get("place").get("lon").asDouble()), text(d.get("address")),
                    Instant.parse(d.get("firstSeen").asText()), Instant.parse(d.get("lastSeen").asText()),
                    List.copyOf(cameras), d.get("bestScore").asDouble(), List.copyOf(evidence),
                    List.copyOf(history), text(d.get("serviceCode")), text(d.get("serviceRequestId")),
                    d.get("deliveryFailed").asBoolean());
        } catch (NullPointerException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not an incident of ikomek.incidents.v1: " + e.getMessage()
                    + " in " + d, e);
        }
    }

    private static IncidentState state(JsonNode n) {
        return n == null || n.isNull() ? null : IncidentState.valueOf(n.asText().toUpperCase());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
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

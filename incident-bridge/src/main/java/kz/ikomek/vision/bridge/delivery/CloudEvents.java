package kz.ikomek.vision.bridge.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.store.Codec;

/** CloudEvents 1.0, structured mode (the whole event is the JSON record value). */
public final class CloudEvents {

    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private CloudEvents() {
    }

    /**
     * @param id unique per change: {@code incidentId/version}, so consumers dedup redeliveries by it
     */
    public static String incidentEvent(String source, String id, String type, Instant time, Incident incident) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", source);
        e.put("type", type);
        e.put("subject", incident.id());
        e.put("time", time.toString());
        e.put("datacontenttype", "application/json");
        e.put("data", IncidentJson.toMap(incident));
        try {
            return Codec.JSON.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode event " + id, ex);
        }
    }
}

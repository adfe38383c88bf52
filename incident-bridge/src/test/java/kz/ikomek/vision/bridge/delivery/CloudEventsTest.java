package kz.ikomek.vision.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.Test;

class CloudEventsTest {

    @Test
    void an_incident_change_is_a_structured_cloudevent_with_wire_names() throws Exception {
        Instant at = Instant.parse("2026-01-10T08:00:00Z");
        Incident i = new Incident("inc-1", IncidentType.OPEN_MANHOLE, IncidentState.PENDING_REVIEW,
                new GeoPoint(51.1, 71.4), "Kabanbay Batyr Ave 1", at, at, List.of("cam-1"), 0.91,
                List.of(new EvidenceRef("a".repeat(64), "frame", "cam-1", at)),
                List.of(new Transition(null, IncidentState.DETECTED, "tracker", at, "detected"),
                        new Transition(IncidentState.DETECTED, IncidentState.PENDING_REVIEW, "bridge", at, "shown")),
                "manhole", null, false);

        JsonNode e = Codec.JSON.readTree(CloudEvents.incidentEvent("/ikomek", "inc-1/2",
                "kz.ikomek.vision.incident.pending_review", at, i));

        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        assertThat(e.get("id").asText()).isEqualTo("inc-1/2");
        assertThat(e.get("source").asText()).isEqualTo("/ikomek");
        assertThat(e.get("subject").asText()).isEqualTo("inc-1");
        assertThat(e.get("time").asText()).isEqualTo("2026-01-10T08:00:00Z");
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        JsonNode data = e.get("data");
        assertThat(data.get("type").asText()).isEqualTo("open_manhole");
        assertThat(data.get("state").asText()).isEqualTo("pending_review");
        assertThat(data.get("history").get(0).get("from").isNull()).isTrue();
        assertThat(data.get("history").get(1).get("actor").asText()).isEqualTo("bridge");
        assertThat(data.get("place").get("lat").asDouble()).isEqualTo(51.1);
        assertThat(data.get("serviceCode").asText()).isEqualTo("manhole");
    }
}

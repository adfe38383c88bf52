package kz.ikomek.vision.ingest.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import kz.ikomek.vision.ingest.health.CameraHealth;
import kz.ikomek.vision.ingest.health.CameraState;
import org.junit.jupiter.api.Test;

class CameraHealthTopicTest {

    static final Instant AT = Instant.parse("2026-01-10T08:00:00Z");

    @Test
    void a_report_reads_back_as_the_health_its_worker_wrote() throws Exception {
        CameraHealth h = new CameraHealth("cam-7", CameraState.STREAMING, AT.minusSeconds(1), 12.5,
                Duration.ofMillis(2000), 3, 41, "rtsp://cam-7/live: timeout", Duration.ofMillis(1500), 9);
        CameraHealthTopic.Report r = CameraHealthTopic.fromJson("cam-7", CameraHealthTopic.toJson("w-1@host", AT, h));
        assertThat(r.worker()).isEqualTo("w-1@host");
        assertThat(r.at()).isEqualTo(AT);
        assertThat(r.health()).isEqualTo(h);
    }

    @Test
    void a_camera_not_yet_playing_keeps_its_unknowns_unknown() throws Exception {
        CameraHealth h = new CameraHealth("cam-8", CameraState.CONNECTING, null, 0, null, 0, 0, null);
        assertThat(CameraHealthTopic.fromJson("cam-8", CameraHealthTopic.toJson("w-2", AT, h)).health()).isEqualTo(h);
    }

    @Test
    void an_unknown_state_is_refused_by_name() {
        String json = CameraHealthTopic.toJson("w-2", AT, new CameraHealth("cam-9", CameraState.STREAMING, null, 0, null,
                0, 0, null)).replace("\"streaming\"", "\"dancing\"");
        assertThatThrownBy(() -> CameraHealthTopic.fromJson("cam-9", json)).hasMessageContaining("dancing");
    }
}

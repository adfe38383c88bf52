package kz.ikomek.vision.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import kz.ikomek.vision.ingest.health.HealthFeed;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class HealthFeedIT {

    @Test
    void state_changes_reach_the_event_bus_with_the_password_masked() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<JsonObject> seen = new CopyOnWriteArrayList<>();
        vertx.eventBus().<JsonObject>consumer("ingest.health", m -> seen.add(m.body()));
        try (IngestService ingest = new IngestService(IngestOptions.defaults()
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(30)))) {
            ingest.add(new CameraSource("cam-dead", "rtsp://viewer:hunter2@127.0.0.1:" + GstRtspServer.freePort() + "/x", null,
                    Map.of("road", Duration.ofSeconds(1))));
            HealthFeed feed = new HealthFeed(vertx, ingest::health, "ingest.health").start(Duration.ofMillis(100));
            Await.until("unreachable on the bus", Duration.ofSeconds(20),
                    () -> seen.stream().anyMatch(j -> "unreachable".equals(j.getString("state"))), () -> seen);
            feed.stop();
            assertThat(seen.toString()).doesNotContain("hunter2").contains("***@");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}

package kz.ikomek.vision.ingest.health;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Puts camera health on the Vert.x event bus for the console: every period, each camera whose state,
 * error or reconnect count changed since the last tick is published as JSON on {@code address}. The
 * timer runs on an event loop, so it only reads snapshots (never blocks).
 */
public final class HealthFeed {

    private final Vertx vertx;
    private final Supplier<List<CameraHealth>> health;
    private final String address;
    private final Map<String, CameraHealth> last = new HashMap<>();
    private long timer = -1;

    /** @param health where snapshots come from, e.g. {@code ingest::health} (non-blocking) */
    public HealthFeed(Vertx vertx, Supplier<List<CameraHealth>> health, String address) {
        this.vertx = vertx;
        this.health = health;
        this.address = address;
    }

    public HealthFeed start(Duration every) {
        timer = vertx.setPeriodic(every.toMillis(), id -> tick());
        return this;
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        for (CameraHealth h : health.get()) {
            CameraHealth before = last.put(h.cameraId(), h);
            if (before == null || before.state() != h.state() || before.reconnects() != h.reconnects()
                    || !java.util.Objects.equals(before.lastError(), h.lastError())) {
                vertx.eventBus().publish(address, toJson(h));
            }
        }
    }

    /** The JSON form the console shows ({@code GET /api/cameras}); the error is already masked. */
    public static JsonObject toJson(CameraHealth h) {
        return new JsonObject()
                .put("cameraId", h.cameraId())
                .put("state", h.state().wireName())
                .put("lastFrameAt", h.lastFrameAt() == null ? null : h.lastFrameAt().toString())
                .put("fps", h.fps())
                .put("keyframeIntervalMillis", h.keyframeInterval() == null ? null : h.keyframeInterval().toMillis())
                .put("reconnects", h.reconnects())
                .put("framesDropped", h.framesDropped())
                .put("lagMillis", h.lag().toMillis())
                .put("shedLooks", h.shedLooks())
                .put("lastError", h.lastError());
    }
}

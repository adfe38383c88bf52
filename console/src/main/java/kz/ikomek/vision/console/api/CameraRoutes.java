package kz.ikomek.vision.console.api;

import kz.ikomek.vision.console.pool.WorkerPool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import kz.ikomek.vision.config.Urls;
import kz.ikomek.vision.console.auth.Access;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.ingest.health.CameraHealth;
import kz.ikomek.vision.ingest.health.CameraState;

/**
 * {@code GET /api/cameras?offset=&limit=&state=&q=}: camera health for operators and admins, a page at a time
 * (12,000 cameras do not fit one answer or one screen), with the count per state over all cameras.
 */
public final class CameraRoutes {

    private final Supplier<List<CameraHealth>> cameras;
    private final Function<String, String> workerOf;
    private final WorkerPool workers;

    /** @param workerOf the cluster worker that runs a camera; null (standalone) leaves {@code worker} out */
    public CameraRoutes(Supplier<List<CameraHealth>> cameras, Function<String, String> workerOf, WorkerPool workers) {
        this.cameras = cameras;
        this.workerOf = workerOf;
        this.workers = workers;
    }

    public void mount(Router router) {
        router.get("/api/cameras").handler(Http.safe(this::list));
    }

    private void list(RoutingContext ctx) {
        User user = Http.session(ctx).user();
        if (!Access.canSeeCameras(user)) {
            throw ApiException.forbidden("camera health is for operators and admins");
        }
        String stateName = Http.query(ctx, "state");
        CameraState state = stateName == null ? null : CameraState.fromWire(stateName).orElseThrow(() ->
                ApiException.badRequest("unknown camera state '" + stateName + "', expected one of "
                        + java.util.Arrays.stream(CameraState.values()).map(CameraState::wireName).toList()));
        String q = Http.query(ctx, "q");
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        int offset = Http.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Http.intQuery(ctx, "limit", 100, 1, 1000);
        Http.blocking(ctx, workers, () -> {
            List<CameraHealth> all = cameras.get();
            Map<CameraState, Integer> counts = new EnumMap<>(CameraState.class);
            JsonArray page = new JsonArray();
            int matched = 0;
            for (CameraHealth h : all) {
                counts.merge(h.state(), 1, Integer::sum);
                if ((state == null || h.state() == state)
                        && (needle == null || h.cameraId().toLowerCase(Locale.ROOT).contains(needle))) {
                    if (matched >= offset && page.size() < limit) {
                        page.add(json(h, workerOf.apply(h.cameraId())));
                    }
                    matched++;
                }
            }
            JsonObject byState = new JsonObject();
            for (CameraState s : CameraState.values()) {
                byState.put(s.wireName(), counts.getOrDefault(s, 0));
            }
            return new JsonObject().put("total", all.size()).put("matched", matched).put("offset", offset)
                    .put("limit", limit).put("byState", byState).put("cameras", page);
        }, (c, body) -> Http.json(c, 200, body));
    }

    private static JsonObject json(CameraHealth h, String worker) {
        JsonObject camera = new JsonObject().put("id", h.cameraId());
        if (worker != null) {
            camera.put("worker", worker);
        }
        return camera.put("state", h.state().wireName())
                .put("lastFrameAt", h.lastFrameAt() == null ? null : h.lastFrameAt().toString())
                .put("fps", h.fps())
                .put("keyframeIntervalMs", h.keyframeInterval() == null ? null : h.keyframeInterval().toMillis())
                .put("reconnects", h.reconnects()).put("framesDropped", h.framesDropped())
                .put("lagMs", h.lag().toMillis()).put("shedLooks", h.shedLooks())
                // Ingest masks credentials already; masking again costs nothing and guards a missed path.
                .put("lastError", h.lastError() == null ? null : Urls.mask(h.lastError()));
    }
}

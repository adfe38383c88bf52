package kz.ikomek.vision.console.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.config.IncidentType;

/**
 * {@code GET /api/sites} (every camera's position, for the map) and {@code GET /api/sites/{camera}} (its zones,
 * drawn over the evidence frames). Any logged-in role: positions and zone outlines show no person or vehicle.
 */
public final class SiteRoutes {

    private final Map<String, CameraSite> sites;
    private final String overview;

    public SiteRoutes(List<CameraSite> sites) {
        this.sites = sites.stream().collect(Collectors.toUnmodifiableMap(CameraSite::cameraId, Function.identity(),
                (a, b) -> a));
        JsonArray all = new JsonArray();
        for (CameraSite s : sites) {
            all.add(position(s));
        }
        // Fixed for the server's life: encode once, not per map render.
        this.overview = new JsonObject().put("sites", all).encode();
    }

    public void mount(Router router) {
        router.get("/api/sites").handler(Http.safe(ctx -> {
            Http.session(ctx);
            ctx.response().putHeader("Content-Type", Http.JSON).end(overview);
        }));
        router.get("/api/sites/:camera").handler(Http.safe(this::one));
    }

    private void one(RoutingContext ctx) {
        Http.session(ctx);
        String id = ctx.pathParam("camera");
        CameraSite s = sites.get(id);
        if (s == null) {
            throw ApiException.notFound("no camera '" + id + "' in the configuration");
        }
        JsonArray zones = new JsonArray();
        for (Zone z : s.zones()) {
            JsonArray poly = new JsonArray();
            for (Zone.Point p : z.polygon()) {
                poly.add(new JsonArray().add(p.x()).add(p.y()));
            }
            zones.add(new JsonObject().put("id", z.id()).put("polygon", poly)
                    .put("detectors", new JsonArray(z.types().stream().map(IncidentType::wireName).sorted().toList())));
        }
        Http.json(ctx, 200, position(s).put("zones", zones));
    }

    private static JsonObject position(CameraSite s) {
        return new JsonObject().put("camera", s.cameraId())
                .put("lat", s.place() == null ? null : s.place().lat())
                .put("lon", s.place() == null ? null : s.place().lon())
                .put("address", s.address());
    }
}

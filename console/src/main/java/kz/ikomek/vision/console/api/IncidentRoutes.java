package kz.ikomek.vision.console.api;

import kz.ikomek.vision.console.pool.WorkerPool;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.IllegalTransitionException;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentNotFoundException;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Incidents;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.console.audit.AuditLog;
import kz.ikomek.vision.console.auth.Access;
import kz.ikomek.vision.console.auth.Session;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.geo.Districts;

/** The incident list, one incident, the four actions, evidence JPEGs and the case-file export. */
public final class IncidentRoutes {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_REASON = 2000;

    private final Incidents incidents;
    private final AuditLog audit;
    private final WorkerPool workers;

    public IncidentRoutes(Incidents incidents, AuditLog audit, WorkerPool workers) {
        this.incidents = incidents;
        this.audit = audit;
        this.workers = workers;
    }

    public void mount(Router router) {
        router.get("/api/incidents").handler(Http.safe(this::list));
        router.get("/api/incidents/:id").handler(Http.safe(this::one));
        router.post("/api/incidents/:id/:action").handler(Http.safe(this::act));
        router.get("/api/incidents/:id/evidence/:sha256").handler(Http.safe(this::evidence));
        router.get("/api/incidents/:id/export").handler(Http.safe(this::export));
    }

    private void list(RoutingContext ctx) {
        User user = Http.session(ctx).user();
        IncidentState state = parse(Http.query(ctx, "state"), "state", IncidentState.class);
        String typeName = Http.query(ctx, "type");
        IncidentType type = typeName == null ? null : IncidentType.fromWire(typeName).orElseThrow(() ->
                ApiException.badRequest("unknown type '" + typeName + "', expected one of snow, flood, open_manhole, dumping"));
        String district = Http.query(ctx, "district");
        if (district != null && !Districts.names().contains(district)) {
            throw ApiException.badRequest("unknown district '" + district + "', expected one of " + Districts.names());
        }
        int offset = Http.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Http.intQuery(ctx, "limit", 200, 1, 1000);
        Http.blocking(ctx, workers, () -> {
            List<Incident> visible = incidents.list(state, type).stream()
                    .filter(i -> Access.canSee(user, i))
                    .filter(i -> district == null || district.equals(Districts.of(i.place())))
                    .toList();
            JsonArray page = new JsonArray();
            visible.stream().skip(offset).limit(limit).forEach(i -> page.add(IncidentJson.of(i, user)));
            return new JsonObject().put("total", visible.size()).put("offset", offset).put("limit", limit)
                    .put("incidents", page);
        }, (c, body) -> Http.json(c, 200, body));
    }

    private void one(RoutingContext ctx) {
        User user = Http.session(ctx).user();
        String id = ctx.pathParam("id");
        Http.blocking(ctx, workers, () -> IncidentJson.of(visible(id, user), user), (c, body) -> Http.json(c, 200, body));
    }

    private void act(RoutingContext ctx) {
        Session session = Http.session(ctx);
        User user = session.user();
        String id = ctx.pathParam("id");
        String name = ctx.pathParam("action");
        IncidentAction action = IncidentAction.fromWire(name).orElseThrow(() -> ApiException.badRequest(
                "unknown action '" + name + "', expected confirm, reject, dispatch or resolve"));
        String given = Http.optionalString(Http.jsonBody(ctx), "reason");
        String reason = given == null || given.isBlank() ? null : given.strip();
        if (reason != null && reason.length() > MAX_REASON) {
            throw ApiException.badRequest("'reason' may have at most " + MAX_REASON + " characters");
        }
        String address = Http.address(ctx);
        Http.blocking(ctx, workers, () -> {
            Incident before;
            try {
                before = visible(id, user);
            } catch (ApiException e) {
                if (e.status() == 403) {
                    audit.append(user.username(), address, action.wireName(), id, "denied", e.getMessage());
                }
                throw e;
            }
            if (!Access.mayAct(user, before, action)) {
                audit.append(user.username(), address, action.wireName(), id, "denied", reason);
                throw ApiException.forbidden("a " + user.role().wireName() + " may not " + action.wireName()
                        + " a " + before.type().wireName() + " incident");
            }
            if (reason == null && Access.needsReason(user, action)) {
                throw ApiException.badRequest(action == IncidentAction.REJECT
                        ? "reject needs a reason: {\"reason\": \"…\"}"
                        : "resolve needs a comment on what was done: {\"reason\": \"…\"}");
            }
            try {
                Incident after = incidents.act(id, action, user.username(), reason);
                audit.append(user.username(), address, action.wireName(), id, "ok",
                        before.state() + " -> " + after.state() + (reason == null ? "" : ": " + reason));
                return IncidentJson.of(after, user);
            } catch (IllegalTransitionException e) {
                audit.append(user.username(), address, action.wireName(), id, "illegal_transition", e.getMessage());
                throw new ApiException(409, e.getMessage());
            } catch (IncidentNotFoundException e) {
                throw ApiException.notFound(e.getMessage());
            }
        }, (c, body) -> Http.json(c, 200, body));
    }

    private void evidence(RoutingContext ctx) {
        User user = Http.session(ctx).user();
        String id = ctx.pathParam("id");
        String sha = ctx.pathParam("sha256").toLowerCase();
        if (!SHA256.matcher(sha).matches()) {
            throw ApiException.badRequest("'" + ctx.pathParam("sha256") + "' is not a SHA-256 (64 hex digits)");
        }
        Http.blocking(ctx, workers, () -> {
            Incident i = visible(id, user);
            EvidenceRef ref = i.evidence().stream().filter(e -> e.sha256().equals(sha)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("incident " + id + " has no evidence " + sha));
            if (!Access.canSeeEvidence(user, i, ref)) {
                throw ApiException.forbidden("frames that can show vehicles are for police and operators only");
            }
            return incidents.evidence(sha).orElseThrow(() ->
                    ApiException.notFound("evidence " + sha + " is no longer retained"));
        }, (c, jpeg) -> c.response().putHeader("Content-Type", "image/jpeg")
                // Never kept by the browser: on a shared control-room PC the frames (people, number plates) must
                // not stay viewable from the cache after Sign out.
                .putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(jpeg)));
    }

    private void export(RoutingContext ctx) {
        User user = Http.session(ctx).user();
        String id = ctx.pathParam("id");
        String address = Http.address(ctx);
        Http.blocking(ctx, workers, () -> {
            Incident i = visible(id, user);
            if (!Access.canExport(user, i)) {
                throw ApiException.forbidden("case-file export is for police and operators only");
            }
            byte[] zip = EvidenceExport.zip(i, incidents::evidence, user.username());
            audit.append(user.username(), address, "export", id, "ok", i.evidence().size() + " evidence frames");
            return zip;
        }, (c, zip) -> c.response().putHeader("Content-Type", "application/zip")
                .putHeader("Content-Disposition", "attachment; filename=\"incident-" + safe(id) + ".zip\"")
                .putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(zip)));
    }

    /** 404 for an unknown id, 403 when this user's role may not see it. */
    private Incident visible(String id, User user) {
        Optional<Incident> found = incidents.get(id);
        Incident i = found.orElseThrow(() -> ApiException.notFound("no incident with id '" + id + "'"));
        if (!Access.canSee(user, i)) {
            throw ApiException.forbidden("incident " + id + " is not visible to a " + user.role().wireName()
                    + (user.service() == null ? "" : " of " + user.service()));
        }
        return i;
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static <E extends Enum<E>> E parse(String value, String name, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown " + name + " '" + value + "', expected one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}

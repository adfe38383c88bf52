package kz.ikomek.vision.console.api;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import kz.ikomek.vision.console.audit.AuditEntry;
import kz.ikomek.vision.console.audit.AuditLog;
import kz.ikomek.vision.console.audit.AuditVerification;
import kz.ikomek.vision.console.auth.Access;

/** {@code GET /api/audit?offset=&limit=}: the audit log, newest first, with the hash chain re-verified. Admins only. */
public final class AuditRoutes {

    private final AuditLog audit;
    private final WorkerExecutor workers;

    public AuditRoutes(AuditLog audit, WorkerExecutor workers) {
        this.audit = audit;
        this.workers = workers;
    }

    public void mount(Router router) {
        router.get("/api/audit").handler(Http.safe(this::list));
    }

    private void list(RoutingContext ctx) {
        if (!Access.canReadAudit(Http.session(ctx).user())) {
            throw ApiException.forbidden("the audit log is for admins");
        }
        int offset = Http.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Http.intQuery(ctx, "limit", 100, 1, 1000);
        Http.blocking(ctx, workers, () -> {
            AuditVerification v = audit.verify();
            JsonArray entries = new JsonArray();
            for (AuditEntry e : audit.newest(offset, limit)) {
                entries.add(e.toJson());
            }
            return new JsonObject().put("total", audit.size()).put("offset", offset).put("limit", limit)
                    .put("verification", new JsonObject().put("ok", v.ok()).put("entries", v.entries())
                            .put("firstBadLine", v.firstBadLine()).put("problem", v.problem()))
                    .put("entries", entries);
        }, (c, body) -> Http.json(c, 200, body));
    }
}

package kz.ikomek.vision.console.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import kz.ikomek.vision.console.audit.AuditEntry;
import kz.ikomek.vision.console.audit.AuditFinding;
import kz.ikomek.vision.console.audit.AuditLog;
import kz.ikomek.vision.console.audit.AuditVerification;
import kz.ikomek.vision.console.auth.Access;
import kz.ikomek.vision.console.pool.WorkerPool;

/**
 * {@code GET /api/audit?offset=&limit=}: the audit log, newest first, admins only. The verification shown is paged:
 * the whole chain was checked (with the key, against the pinned head) when the console started; each view checks
 * that the file is still what the console wrote and that the entries on the page hash and link correctly. Any
 * tampering ever found ({@code findings}) stays listed and makes {@code ok} false.
 */
public final class AuditRoutes {

    private final AuditLog audit;
    private final WorkerPool workers;

    public AuditRoutes(AuditLog audit, WorkerPool workers) {
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
            JsonArray entries = new JsonArray();
            for (AuditEntry e : audit.newest(offset, limit)) {
                entries.add(e.toJson());
            }
            return new JsonObject().put("total", audit.size()).put("offset", offset).put("limit", limit)
                    .put("verification", verification(audit.atOpen(), audit.verifyPage(offset, limit),
                            audit.findings()))
                    .put("entries", entries);
        }, (c, body) -> Http.json(c, 200, body));
    }

    private JsonObject verification(AuditVerification atStart, AuditVerification page, List<AuditFinding> findings) {
        JsonArray found = new JsonArray();
        findings.forEach(f -> found.add(f.toJson()));
        AuditVerification first = !page.ok() ? page : atStart;
        String problem = !page.ok() ? page.problem() : !findings.isEmpty() ? findings.get(findings.size() - 1).problem()
                : atStart.problem();
        return new JsonObject().put("ok", atStart.ok() && page.ok() && findings.isEmpty())
                .put("entries", audit.size())
                .put("firstBadLine", first.firstBadLine())
                .put("problem", problem)
                .put("pinned", new JsonObject().put("entries", audit.size()).put("hash", audit.lastHash()))
                .put("atStart", json(atStart))
                .put("page", json(page))
                .put("findings", found);
    }

    private static JsonObject json(AuditVerification v) {
        return new JsonObject().put("ok", v.ok()).put("entries", v.entries()).put("firstBadLine", v.firstBadLine())
                .put("problem", v.problem());
    }
}

package kz.ikomek.vision.console.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Tampering found in the audit log (a cut-off end, a rewritten entry), kept in the pin and shown to admins. */
public record AuditFinding(Instant at, String problem) {

    public JsonObject toJson() {
        return new JsonObject().put("at", at.toString()).put("problem", problem);
    }
}

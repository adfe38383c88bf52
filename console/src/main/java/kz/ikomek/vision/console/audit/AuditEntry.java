package kz.ikomek.vision.console.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param action  login, login_failed, logout, confirm, reject, dispatch, resolve
 * @param target  the incident id (for actions) or the username tried (for logins)
 * @param outcome ok, or why it was refused (denied, illegal_transition, throttled, bad_password, …)
 * @param detail  the reason given, or the transition made (e.g. "PENDING_REVIEW -> CONFIRMED")
 * @param prev    SHA-256 (hex) of the previous entry, 64 zeros for the first
 * @param hash    SHA-256 (hex) of {@code prev} and this entry's other fields
 */
public record AuditEntry(long seq, Instant at, String actor, String address, String action, String target,
                         String outcome, String detail, String prev, String hash) {

    /** The fields the hash covers, in a fixed order, so that the stored line can be re-hashed to check it. */
    JsonObject content() {
        return new JsonObject().put("seq", seq).put("at", at.toString()).put("actor", actor).put("address", address)
                .put("action", action).put("target", target).put("outcome", outcome).put("detail", detail)
                .put("prev", prev);
    }

    public JsonObject toJson() {
        return content().put("hash", hash);
    }

    static AuditEntry fromJson(JsonObject o) {
        return new AuditEntry(o.getLong("seq"), Instant.parse(o.getString("at")), o.getString("actor"),
                o.getString("address"), o.getString("action"), o.getString("target"), o.getString("outcome"),
                o.getString("detail"), o.getString("prev"), o.getString("hash"));
    }
}

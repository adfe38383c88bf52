package kz.ikomek.vision.bridge.dedup;

/**
 * What to do with a candidate.
 *
 * @param id     the incident to merge into, or the one that suppresses it; null for OPEN
 * @param reason why (shown in history / logs): e.g. "re-opened after the cooldown of inc-…"
 */
public record Match(Kind kind, String id, String reason) {

    public enum Kind { OPEN, MERGE, SUPPRESS }

    static Match open(String reason) {
        return new Match(Kind.OPEN, null, reason);
    }

    static Match merge(String id) {
        return new Match(Kind.MERGE, id, null);
    }

    static Match suppress(String id, String reason) {
        return new Match(Kind.SUPPRESS, id, reason);
    }
}

package kz.ikomek.vision.console.audit;

/**
 * The result of re-checking the hash chain.
 *
 * @param firstBadLine 1-based line of the first entry that does not check out, 0 when all do
 * @param problem      what is wrong there, null when ok
 */
public record AuditVerification(boolean ok, long entries, long firstBadLine, String problem) {
}

package kz.ikomek.vision.bridge;

/**
 * What {@link IncidentBridge#record} did with a candidate. Returned only after the change is durable.
 *
 * @param incident the incident it opened or joined, or the closed one that suppressed it
 * @param reason   for SUPPRESSED: why (false alarm window, cooldown, replayed event)
 */
public record Recorded(Outcome outcome, Incident incident, String reason) {

    public enum Outcome {
        /** A new incident. */
        OPENED,
        /** Joined an open incident of the same type and place (maybe from another camera). */
        MERGED,
        /** A REJECTED or RESOLVED incident of the same key suppresses it; nothing was stored. */
        SUPPRESSED
    }
}

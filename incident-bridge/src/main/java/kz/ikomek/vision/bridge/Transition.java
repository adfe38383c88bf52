package kz.ikomek.vision.bridge;

import java.time.Instant;

/** One line of an incident's history: who moved it from where to where, when and why. {@code from} is null at creation. */
public record Transition(IncidentState from, IncidentState to, String actor, Instant at, String reason) {
}

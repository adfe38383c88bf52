package kz.ikomek.vision.bridge.owner;

import java.util.List;

/**
 * What the owner decided: the answer for the caller and the changes that must be durable before it is given.
 * No changes: the answer depends only on what is already decided (it is durable once everything queued is).
 */
public record Decided<T>(T result, List<IncidentChange> changes) {
}

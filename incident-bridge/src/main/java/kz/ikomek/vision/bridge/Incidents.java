package kz.ikomek.vision.bridge;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import kz.ikomek.vision.config.IncidentType;

/** What the console (and any other reader) may do with incidents. Implemented by the RocksDB-backed bridge. */
public interface Incidents {

    /** Newest first; a null filter matches everything. */
    List<Incident> list(IncidentState state, IncidentType type);

    Optional<Incident> get(String id);

    /**
     * Applies a person's action, durably, before returning.
     *
     * @throws IncidentNotFoundException  no incident with that id
     * @throws IllegalTransitionException the action is not allowed from the incident's state
     */
    Incident act(String id, IncidentAction action, String actor, String reason);

    /** The stored JPEG with that SHA-256, if retained. */
    Optional<byte[]> evidence(String sha256);

    /** Called after each durable change (creation, merge, transition, delivery result). Close to stop. */
    AutoCloseable subscribe(Consumer<Incident> listener);
}

package kz.ikomek.vision.bridge.delivery;

import java.util.List;
import java.util.Optional;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.store.OutboxEntry;

/** How delivery workers report back to the bridge; each call is one durable change before it returns. */
public interface DeliverySink {

    /** Committed view of an incident (what the workers may send). */
    Optional<Incident> incident(String id);

    /** These events are on the topic: drop them from the outbox (and announce DETECTED incidents). */
    void published(List<OutboxEntry> entries);

    /** The case system filed it: store the service request id, drop the entry, maybe dispatch. */
    void submitted(OutboxEntry entry, String serviceRequestId);

    /** Nothing (more) to send for this entry: e.g. already filed, or its type has no service code. */
    void discard(OutboxEntry entry, String why);

    /** Retries exhausted or a permanent refusal: keep the entry parked and flag the incident. */
    void deadLetter(OutboxEntry entry, String error);
}

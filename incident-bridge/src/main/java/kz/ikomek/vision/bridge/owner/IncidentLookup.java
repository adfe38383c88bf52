package kz.ikomek.vision.bridge.owner;

import java.util.function.Consumer;
import kz.ikomek.vision.bridge.store.StoredIncident;

/**
 * The incidents of one place partition as its owner sees them: the latest decided version of each, durable or
 * not yet. Standalone: pending changes over the RocksDB store; cluster: the Kafka Streams state store.
 */
public interface IncidentLookup {

    /** The latest decided version, or null when the partition has no such incident. */
    StoredIncident get(String id);

    /** Every open incident of the partition, each once, latest version. */
    void forEachOpen(Consumer<StoredIncident> visitor);
}

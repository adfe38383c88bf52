package kz.ikomek.vision.bridge.store;

import java.util.ArrayList;
import java.util.List;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One logical change (an incident, its dedup entry, its outbox entries, its evidence metadata) that must land
 * together. Group commit packs several into one WriteBatch; each lands entirely or not at all.
 */
public final class ChangeSet {

    private record Op(Family family, byte[] key, byte[] value) {
    }

    private final List<Op> ops = new ArrayList<>();
    private long bytes;
    private final List<StoredIncident> incidents = new ArrayList<>();
    private boolean outbox;

    public ChangeSet put(Family family, byte[] key, byte[] value) {
        ops.add(new Op(family, key, value));
        bytes += key.length + value.length;
        if (family == Family.OUTBOX) {
            outbox = true;
        }
        return this;
    }

    public ChangeSet delete(Family family, byte[] key) {
        ops.add(new Op(family, key, null));
        bytes += key.length;
        return this;
    }

    /** Remembers an incident version this change makes durable (for caches and listeners after commit). */
    public ChangeSet touched(StoredIncident incident) {
        incidents.add(incident);
        return this;
    }

    public List<StoredIncident> incidents() {
        return incidents;
    }

    public boolean hasOutbox() {
        return outbox;
    }

    /** Keys and values it writes, in bytes: what a WriteBatch holding it grows by (plus a few bytes per op). */
    long bytes() {
        return bytes;
    }

    int size() {
        return ops.size();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    void applyTo(WriteBatch batch, BridgeStore store) throws RocksDBException {
        for (Op op : ops) {
            if (op.value == null) {
                batch.delete(store.handle(op.family), op.key);
            } else {
                batch.put(store.handle(op.family), op.key, op.value);
            }
        }
    }
}

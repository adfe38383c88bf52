package kz.ikomek.vision.bridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import kz.ikomek.vision.bridge.evidence.EvidenceStore;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.StoredIncident;

/**
 * A bridge's directory opened for reading only, for tools that run beside the pipeline (exporting hard
 * negatives): it takes no lock, changes nothing, starts no delivery, and sees the incidents as they were at open.
 */
public final class IncidentArchive implements AutoCloseable {

    private final BridgeStore store;
    /** The frames live in the store itself (schema 2), written in the same batch as their incident. */
    private final EvidenceStore evidence;

    private IncidentArchive(BridgeStore store) {
        this.store = store;
        this.evidence = new EvidenceStore(store);
    }

    /**
     * Opens the directory an {@link IncidentBridge} was opened on (its store is {@code dir/db}).
     *
     * @throws kz.ikomek.vision.bridge.store.BridgeStoreException no store there, or one that cannot be read
     */
    public static IncidentArchive open(Path dir) {
        return new IncidentArchive(BridgeStore.openReadOnly(dir.resolve("db")));
    }

    /** The incidents in {@code state} (null: all), oldest first, with the camera/zone pairs that reported them. */
    public List<StoredIncident> list(IncidentState state) {
        List<StoredIncident> found = new ArrayList<>();
        store.scan(Family.INCIDENTS, null, (k, v) -> {
            StoredIncident s = Codec.read(v, StoredIncident.class);
            if (state == null || s.incident().state() == state) {
                found.add(s);
            }
            return true;
        });
        found.sort(Comparator.comparing((StoredIncident s) -> s.incident().firstSeen()).thenComparing(StoredIncident::id));
        return found;
    }

    /** The stored JPEG with that SHA-256; empty when retention deleted it. */
    public Optional<byte[]> evidence(String sha256) {
        return evidence.read(sha256);
    }

    @Override
    public void close() {
        store.close();
    }
}

package kz.ikomek.vision.bridge.evidence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.ChangeSet;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.detectors.Evidence;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence JPEGs in the store, content-addressed by SHA-256: the bytes in {@link Family#FRAMES}, size and last
 * use in {@link Family#EVIDENCE}. They are staged into the same change set as the incident that points at them,
 * so one synced WriteBatch makes both durable: no fsync per frame, and never a frame without its incident or an
 * incident without its frame. A frame seen by many candidates is stored once.
 */
public final class EvidenceStore {

    private static final Logger log = LoggerFactory.getLogger(EvidenceStore.class);

    private final BridgeStore store;

    public EvidenceStore(BridgeStore store) {
        this.store = store;
    }

    /** Stages the frame (bytes only when new) and marks it used now. */
    public void stage(ChangeSet cs, Evidence e, Instant now) {
        byte[] key = Codec.utf8(e.sha256());
        cs.put(Family.EVIDENCE, key, Codec.write(new EvidenceMeta(e.jpeg().length, now)));
        cs.put(Family.FRAMES, key, e.jpeg());
    }

    /** Stages the removal of a frame and its metadata. */
    public void stageDelete(ChangeSet cs, String sha256) {
        byte[] key = Codec.utf8(sha256);
        cs.delete(Family.EVIDENCE, key);
        cs.delete(Family.FRAMES, key);
    }

    public Optional<byte[]> read(String sha256) {
        if (!EvidenceFiles.isSha256(sha256)) {
            return Optional.empty();
        }
        return Optional.ofNullable(store.get(Family.FRAMES, Codec.utf8(sha256)));
    }

    /** Every frame's metadata, by SHA-256. */
    public Map<String, EvidenceMeta> all() {
        Map<String, EvidenceMeta> all = new LinkedHashMap<>();
        store.scan(Family.EVIDENCE, null, (k, v) -> {
            all.put(new String(k, StandardCharsets.UTF_8), Codec.read(v, EvidenceMeta.class));
            return true;
        });
        return all;
    }

    /**
     * Finishes the upgrade of a version 1 store: its evidence files (those with metadata; the rest were
     * orphans) move into the store in one synced batch with the new schema version, then the files go.
     * A crash before the batch leaves a version 1 store that upgrades again on the next open.
     */
    public void upgradeFrom(EvidenceFiles legacy) {
        Map<String, EvidenceMeta> known = all();
        int moved = 0;
        try (WriteBatch batch = new WriteBatch()) {
            for (String sha : known.keySet()) {
                Optional<byte[]> jpeg = legacy.read(sha);
                if (jpeg.isPresent()) {
                    batch.put(store.handle(Family.FRAMES), Codec.utf8(sha), jpeg.get());
                    moved++;
                } else {
                    batch.delete(store.handle(Family.EVIDENCE), Codec.utf8(sha));
                }
            }
            store.markCurrent(batch);
            store.write(batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException(store.path() + ": cannot move the evidence files in: " + e.getMessage(), e);
        }
        store.upgraded();
        legacy.deleteAll();
        log.atInfo().addKeyValue("frames", moved).log("incident store upgraded: evidence files moved into {}",
                store.path());
    }
}

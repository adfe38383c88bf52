package kz.ikomek.vision.bridge.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The bridge's RocksDB: one column family per kind of record, and a schema version in the default family.
 * Every change goes through {@link #write(WriteBatch)}: atomic and synced to disk before it returns.
 */
public final class BridgeStore implements AutoCloseable {

    /** 2: evidence JPEGs live in the {@code frames} family (1 kept them as files beside the store). */
    public static final int SCHEMA_VERSION = 2;
    /** The version whose stores this build upgrades on open: its evidence files move into {@code frames}. */
    public static final int LEGACY_SCHEMA_VERSION = 1;
    static final byte[] SCHEMA_KEY = "schema-version".getBytes(StandardCharsets.UTF_8);

    static {
        RocksDB.loadLibrary();
    }

    /** The column families, in the order RocksDB opens them (default first). */
    public enum Family {
        META("default"), INCIDENTS("incidents"), DEDUP("dedup"), OUTBOX("outbox"), EVIDENCE("evidence"),
        /** The evidence JPEGs by SHA-256: in the same synced batch as the incident that points at them. */
        FRAMES("frames");

        final String cfName;

        Family(String cfName) {
            this.cfName = cfName;
        }
    }

    private final Path path;
    private final DBOptions dbOptions;
    private final FamilyOptions cfOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions syncWrite;
    private final WriteOptions unsyncedWrite;
    private boolean legacy;

    private BridgeStore(Path path, DBOptions dbOptions, FamilyOptions cfOptions, RocksDB db,
                        List<ColumnFamilyHandle> handles) {
        this.path = path;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.db = db;
        this.handles = handles;
        this.syncWrite = new WriteOptions().setSync(true);
        this.unsyncedWrite = new WriteOptions();
    }

    /**
     * Opens (or, when {@code path} is absent or empty, creates) the store.
     *
     * @throws BridgeStoreException the directory is corrupt, not ours, or of another schema version
     */
    public static BridgeStore open(Path path) {
        boolean fresh = isAbsentOrEmpty(path);
        if (!fresh && !Files.exists(path.resolve("CURRENT"))) {
            throw new BridgeStoreException(path + ": not an incident store (no RocksDB CURRENT file); point "
                    + "storage.dir at an empty or an existing ikomek-vision directory");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new BridgeStoreException(path + ": cannot create the incident store: " + e.getMessage(), e);
        }
        List<Family> present = fresh ? List.of(Family.values()) : checkFamilies(path);
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(fresh).setCreateMissingColumnFamilies(fresh)
                .setParanoidChecks(true);
        FamilyOptions cfOptions = new FamilyOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(dbOptions, path.toString(), descriptors(present, cfOptions), handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            if (String.valueOf(e.getMessage()).contains("LOCK")) {
                // RocksDB holds an exclusive lock: a second process on the same directory is a user error, not damage.
                throw new BridgeStoreException(path + ": the incident store is in use by another ikomek-vision process;"
                        + " stop it first or use another storage dir", e);
            }
            throw new BridgeStoreException(path + ": the incident store is corrupt or unreadable (" + e.getMessage()
                    + "); nothing was changed: restore it from a backup or move it aside to start empty", e);
        }
        BridgeStore store = new BridgeStore(path, dbOptions, cfOptions, db, handles);
        try {
            if (present.size() < Family.values().length) {
                store.checkSchemaVersion();
                store.createMissing(present);
            }
            if (fresh) {
                try (WriteBatch batch = new WriteBatch()) {
                    batch.put(handles.get(Family.META.ordinal()), SCHEMA_KEY,
                            Integer.toString(SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
                    store.write(batch);
                } catch (RocksDBException e) {
                    throw new BridgeStoreException(path + ": cannot initialise the incident store: " + e.getMessage(), e);
                }
            } else {
                store.checkSchemaVersion();
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Opens an existing store read-only. RocksDB takes no lock for this, so it works beside the process that
     * has the store open for writing (a running {@code run} or {@code demo}) and sees the store as it was at
     * open; {@link #write} fails.
     *
     * @throws BridgeStoreException no store there, or it is corrupt, not ours, or of another schema version
     */
    public static BridgeStore openReadOnly(Path path) {
        if (isAbsentOrEmpty(path)) {
            throw new BridgeStoreException(path + ": no incident store there; point storage.dir at the directory "
                    + "that `run` or `demo` writes");
        }
        if (!Files.exists(path.resolve("CURRENT"))) {
            throw new BridgeStoreException(path + ": not an incident store (no RocksDB CURRENT file)");
        }
        if (checkFamilies(path).size() < Family.values().length) {
            // Read-only cannot add the column families a newer version keeps; one writable open upgrades the store.
            throw new BridgeStoreException(path + ": written by an older version; start `run` or `demo` on it once "
                    + "to upgrade it, then export");
        }
        DBOptions dbOptions = new DBOptions().setParanoidChecks(true);
        FamilyOptions cfOptions = new FamilyOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.openReadOnly(dbOptions, path.toString(), descriptors(List.of(Family.values()), cfOptions), handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            throw new BridgeStoreException(path + ": the incident store is corrupt or unreadable (" + e.getMessage()
                    + "); nothing was changed", e);
        }
        BridgeStore store = new BridgeStore(path, dbOptions, cfOptions, db, handles);
        try {
            store.checkSchemaVersion();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * The frames go to RocksDB's blob files (BlobDB): a 24-80 KB JPEG is written once at flush and never again by
     * compaction, which otherwise rewrites every frame on each level it passes (write-once, read-rarely values of
     * this size are what blob files are for). Each frame still goes through the write-ahead log with its incident
     * in one synced batch, so what is durable is unchanged. In a storm of thousands of candidates a second the
     * compaction threads' copies of the frames took a quarter of a two-core machine. JPEGs do not compress.
     */
    private static final class FamilyOptions implements AutoCloseable {
        /** Values at least this big (a frame; never an incident, dedup or outbox record) go to blob files. */
        static final long MIN_BLOB_BYTES = 4096;
        /**
         * The frames' memtable: a storm's burst of frames is written once, to the write-ahead log, and flushed to blob
         * files after it; with RocksDB's 64 MB a burst of 20,000 candidates (about 500 MB of frames) flushed every
         * 2,600 frames and each flush's writes competed with the log's synced ones for the disk (bench bridge flat out:
         * 3,850-3,960/s at 64 MB, 6,890-7,140/s at 256 MB). Memory grows to it only as frames are written.
         */
        static final long WRITE_BUFFER_BYTES = 256L << 20;

        final ColumnFamilyOptions records = new ColumnFamilyOptions();
        final ColumnFamilyOptions frames = new ColumnFamilyOptions().setEnableBlobFiles(true)
                .setMinBlobSize(MIN_BLOB_BYTES).setBlobCompressionType(CompressionType.NO_COMPRESSION)
                .setEnableBlobGarbageCollection(true).setWriteBufferSize(WRITE_BUFFER_BYTES);

        ColumnFamilyOptions of(Family f) {
            return f == Family.FRAMES ? frames : records;
        }

        @Override
        public void close() {
            records.close();
            frames.close();
        }
    }

    private static List<ColumnFamilyDescriptor> descriptors(List<Family> families, FamilyOptions cfOptions) {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (Family f : families) {
            descriptors.add(new ColumnFamilyDescriptor(f.cfName.getBytes(StandardCharsets.UTF_8), cfOptions.of(f)));
        }
        return descriptors;
    }

    private static boolean isAbsentOrEmpty(Path path) {
        if (!Files.exists(path)) {
            return true;
        }
        try (var entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new BridgeStoreException(path + ": cannot read the incident store directory: " + e.getMessage(), e);
        }
    }

    /** A legacy store lacks the families added since; creates them (empty) in {@link Family} order. */
    private void createMissing(List<Family> present) {
        for (Family f : Family.values()) {
            if (!present.contains(f)) {
                try {
                    handles.add(db.createColumnFamily(new ColumnFamilyDescriptor(
                            f.cfName.getBytes(StandardCharsets.UTF_8), cfOptions.of(f))));
                } catch (RocksDBException e) {
                    throw new BridgeStoreException(path + ": cannot upgrade the incident store (adding '" + f.cfName
                            + "'): " + e.getMessage(), e);
                }
            }
        }
    }

    /** The families present, in {@link Family} order; only {@link Family#FRAMES} may be missing (a version 1 store). */
    private static List<Family> checkFamilies(Path path) {
        List<byte[]> present;
        try (Options options = new Options()) {
            present = RocksDB.listColumnFamilies(options, path.toString());
        } catch (RocksDBException e) {
            throw new BridgeStoreException(path + ": the incident store is corrupt or unreadable (" + e.getMessage()
                    + "); nothing was changed: restore it from a backup or move it aside to start empty", e);
        }
        List<String> names = present.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        List<Family> found = new ArrayList<>();
        for (Family f : Family.values()) {
            if (names.contains(f.cfName)) {
                found.add(f);
            } else if (f != Family.FRAMES) {
                // A damaged MANIFEST can read as a store with only the default family: say both possibilities.
                throw new BridgeStoreException(path + ": the incident store is corrupt or unreadable, or not a schema "
                        + "version " + SCHEMA_VERSION + " store (column family '" + f.cfName + "' is missing; found "
                        + names + "); nothing was changed: restore it from a backup or move it aside to start empty");
            }
        }
        return found;
    }

    private void checkSchemaVersion() {
        byte[] raw = get(Family.META, SCHEMA_KEY);
        if (raw == null) {
            throw new BridgeStoreException(path + ": the incident store has no schema version; it was not written "
                    + "by ikomek-vision or is damaged");
        }
        String found = new String(raw, StandardCharsets.UTF_8);
        if (found.equals(Integer.toString(LEGACY_SCHEMA_VERSION))) {
            legacy = true;
            return;
        }
        if (!found.equals(Integer.toString(SCHEMA_VERSION))) {
            throw new BridgeStoreException(path + ": the incident store has schema version " + found
                    + ", this build reads version " + SCHEMA_VERSION + "; use the matching ikomek-vision release");
        }
    }

    /** True for a version 1 store: its evidence files wait to be moved in, then {@link #markCurrent} is written. */
    public boolean legacy() {
        return legacy;
    }

    /** Adds "this store is of the current schema version" to a batch (the one that finishes the upgrade). */
    public void markCurrent(WriteBatch batch) throws RocksDBException {
        batch.put(handle(Family.META), SCHEMA_KEY, Integer.toString(SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
    }

    /** After {@link #markCurrent} is durable. */
    public void upgraded() {
        legacy = false;
    }

    public Path path() {
        return path;
    }

    public ColumnFamilyHandle handle(Family family) {
        return handles.get(family.ordinal());
    }

    public byte[] get(Family family, byte[] key) {
        try {
            return db.get(handle(family), key);
        } catch (RocksDBException e) {
            throw new IllegalStateException(path + ": reading " + family.cfName + " failed: " + e.getMessage(), e);
        }
    }

    /** Atomic and durable: returns only after the batch is synced to the write-ahead log. */
    public void write(WriteBatch batch) {
        try {
            db.write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException(path + ": writing to the incident store failed: " + e.getMessage(), e);
        }
    }

    /**
     * Atomic but not synced: for data that can be rebuilt after a crash (a read model fed by a topic), where an
     * fsync per change would cost the disk for nothing.
     */
    public void writeUnsynced(WriteBatch batch) {
        try {
            db.write(unsyncedWrite, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException(path + ": writing to the incident store failed: " + e.getMessage(), e);
        }
    }

    /** Visits keys from {@code from} (inclusive; null = first) in order until the visitor returns false. */
    public void scan(Family family, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        try (RocksIterator it = db.newIterator(handle(family))) {
            if (from == null) {
                it.seekToFirst();
            } else {
                it.seek(from);
            }
            for (; it.isValid(); it.next()) {
                if (!visitor.test(it.key(), it.value())) {
                    break;
                }
            }
        }
    }

    /** Test hook: what a later release would leave behind. */
    public void overwriteSchemaVersionForTest(String version) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(handle(Family.META), SCHEMA_KEY, version.getBytes(StandardCharsets.UTF_8));
            write(batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        syncWrite.close();
        unsyncedWrite.close();
        dbOptions.close();
        cfOptions.close();
    }
}

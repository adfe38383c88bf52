package kz.ikomek.vision.console.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Where the audit log's head is pinned, apart from the file: the number of entries and the last entry's hash after
 * every append, and every tampering found, in a small RocksDB. Cutting lines off the end of {@code audit.jsonl}, or
 * rewriting it, no longer verifies: the file's head no longer matches the pin. The findings stay listed even after
 * new entries move the pin on.
 */
final class AuditPin implements AutoCloseable {

    private static final byte[] HEAD = bytes("head");
    private static final byte[] FINDINGS = bytes("findings");

    /** The pinned head: entries written and the hash of the last one; {@code size} the file's length after it. */
    record Head(long seq, String hash, long size) {
    }

    private final RocksDB db;
    private final Options options;
    // Not synced: RocksDB's log survives a crash of the process. After a power loss the pin may lag the file by
    // the last entries, which still verify with the key, so they are re-pinned rather than reported.
    private final WriteOptions writes = new WriteOptions();

    private AuditPin(RocksDB db, Options options) {
        this.db = db;
        this.options = options;
    }

    static AuditPin open(Path dir) {
        RocksDB.loadLibrary();
        Options options = new Options().setCreateIfMissing(true);
        try {
            return new AuditPin(RocksDB.open(options, dir.toString()), options);
        } catch (RocksDBException e) {
            options.close();
            throw new IllegalStateException("cannot open the audit pin in " + dir + ": " + e.getMessage()
                    + " (is another console using the same storage dir?)", e);
        }
    }

    /** Null when nothing was pinned yet (a new log, or one written before pinning existed). */
    Head head() {
        JsonObject o = read(HEAD);
        return o == null ? null : new Head(o.getLong("seq"), o.getString("hash"), o.getLong("size"));
    }

    void pin(Head head) {
        write(HEAD, new JsonObject().put("seq", head.seq()).put("hash", head.hash()).put("size", head.size()));
    }

    List<AuditFinding> findings() {
        JsonObject o = read(FINDINGS);
        List<AuditFinding> out = new ArrayList<>();
        if (o != null) {
            for (Object f : o.getJsonArray("findings")) {
                JsonObject j = (JsonObject) f;
                out.add(new AuditFinding(Instant.parse(j.getString("at")), j.getString("problem")));
            }
        }
        return out;
    }

    void addFinding(AuditFinding finding) {
        JsonArray all = new JsonArray();
        for (AuditFinding f : findings()) {
            all.add(f.toJson());
        }
        write(FINDINGS, new JsonObject().put("findings", all.add(finding.toJson())));
    }

    private JsonObject read(byte[] key) {
        try {
            byte[] v = db.get(key);
            return v == null ? null : new JsonObject(new String(v, StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading the audit pin: " + e.getMessage(), e);
        }
    }

    private void write(byte[] key, JsonObject value) {
        try {
            db.put(writes, key, bytes(value.encode()));
        } catch (RocksDBException e) {
            throw new IllegalStateException("writing the audit pin: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        writes.close();
        db.close();
        options.close();
    }
}

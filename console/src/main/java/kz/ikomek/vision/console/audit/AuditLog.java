package kz.ikomek.vision.console.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only, tamper-evident audit log: one JSON object per line in {@code audit.jsonl}; each entry carries the
 * SHA-256 of the previous entry and its own SHA-256 over that and its fields. Editing, deleting or reordering any
 * line breaks every hash after it, which {@link #verify()} reports. Each append is forced to disk before the
 * action it records is acknowledged. Blocking: call from a worker thread.
 */
public final class AuditLog implements AutoCloseable {

    public static final String GENESIS = "0".repeat(64);
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Path file;
    private final Clock clock;
    private final FileChannel channel;
    private long seq;
    private String last;

    private AuditLog(Path file, Clock clock, FileChannel channel, long seq, String last) {
        this.file = file;
        this.clock = clock;
        this.channel = channel;
        this.seq = seq;
        this.last = last;
    }

    public static AuditLog open(Path dir, Clock clock) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("audit.jsonl");
            dropTornTail(file);
            long seq = 0;
            String last = GENESIS;
            if (Files.exists(file)) {
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    String lastLine = null;
                    while ((line = r.readLine()) != null) {
                        if (!line.isBlank()) {
                            lastLine = line;
                        }
                    }
                    if (lastLine != null) {
                        AuditEntry e = AuditEntry.fromJson(new JsonObject(lastLine));
                        seq = e.seq();
                        last = e.hash();
                    }
                }
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            AuditLog audit = new AuditLog(file, clock, ch, seq, last);
            AuditVerification v = audit.verify();
            if (!v.ok()) {
                // Keep appending (the record of what happens next matters more), but say it loudly.
                log.error("audit log {} fails verification at line {}: {}", file, v.firstBadLine(), v.problem());
            }
            return audit;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit log in " + dir, e);
        } catch (DecodeException | NullPointerException e) {
            throw new IllegalStateException("audit log in " + dir + " has an unreadable last entry: " + e.getMessage(), e);
        }
    }

    /** A crash in the middle of a write leaves a line without its newline: that entry was never acknowledged. */
    private static void dropTornTail(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            long end = size;
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                log.warn("audit log {}: dropping a torn last line of {} bytes (written during a crash)", file, size - end);
                ch.truncate(end);
                ch.force(true);
            }
        }
    }

    public synchronized AuditEntry append(String actor, String address, String action, String target, String outcome,
                                          String detail) {
        long next = seq + 1;
        AuditEntry draft = new AuditEntry(next, clock.instant(), actor, address, action, target, outcome, detail,
                last, null);
        String hash = sha256(draft.content().encode());
        AuditEntry entry = new AuditEntry(next, draft.at(), actor, address, action, target, outcome, detail, last, hash);
        byte[] line = (entry.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to audit log " + file, e);
        }
        seq = next;
        last = hash;
        return entry;
    }

    /** Entries newest first, skipping {@code offset}; reads the file, so the admin view always shows what is on disk. */
    public List<AuditEntry> newest(int offset, int limit) {
        List<AuditEntry> all = readAll();
        List<AuditEntry> out = new ArrayList<>();
        for (int i = all.size() - 1 - offset; i >= 0 && out.size() < limit; i--) {
            out.add(all.get(i));
        }
        return out;
    }

    public synchronized long size() {
        return seq;
    }

    public AuditVerification verify() {
        return verify(file);
    }

    /** Re-checks every entry's hash and link; usable on a copy of the file without opening it for writing. */
    public static AuditVerification verify(Path file) {
        if (!Files.exists(file)) {
            return new AuditVerification(true, 0, 0, null);
        }
        String prev = GENESIS;
        long expectedSeq = 1;
        long lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                JsonObject o;
                try {
                    o = new JsonObject(line);
                } catch (DecodeException e) {
                    return new AuditVerification(false, lineNo - 1, lineNo, "not a JSON object");
                }
                String stored = o.getString("hash");
                o.remove("hash");
                if (!prev.equals(o.getString("prev"))) {
                    return new AuditVerification(false, lineNo - 1, lineNo, "prev does not match the entry before");
                }
                Long s = o.getLong("seq");
                if (s == null || s != expectedSeq) {
                    return new AuditVerification(false, lineNo - 1, lineNo, "seq " + s + ", expected " + expectedSeq);
                }
                if (stored == null || !stored.equals(sha256(o.encode()))) {
                    return new AuditVerification(false, lineNo - 1, lineNo, "hash does not match the entry's content");
                }
                prev = stored;
                expectedSeq++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        } catch (ClassCastException e) {
            return new AuditVerification(false, lineNo - 1, lineNo, "a field has the wrong type");
        }
        return new AuditVerification(true, lineNo, 0, null);
    }

    private List<AuditEntry> readAll() {
        List<AuditEntry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(AuditEntry.fromJson(new JsonObject(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
        return out;
    }

    public Path file() {
        return file;
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing audit log {}", file, e);
        }
    }
}

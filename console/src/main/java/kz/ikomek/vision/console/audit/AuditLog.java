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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only, tamper-evident audit log: one JSON object per line in {@code audit.jsonl}; each entry carries the
 * hash of the previous entry and its own hash over that and its fields, an HMAC-SHA256 under a key the file does not
 * hold ({@code audit.key}). Editing, deleting or reordering a line breaks its hash or the next one's link, and
 * without the key nobody can re-hash the rest. The head (entries written, last hash) is pinned in a RocksDB apart
 * from the file after every append, so cutting lines off the end is found too. Both are checked at open; what is
 * found is logged, written to the log itself and kept in the pin for {@link #findings()}.
 *
 * <p>Each append is forced to disk before the action it records is acknowledged. An index of line offsets lets a
 * page of entries be read and checked without reading the whole file. Blocking: call from a worker thread.
 */
public final class AuditLog implements AutoCloseable {

    public static final String GENESIS = "0".repeat(64);
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Path file;
    private final Clock clock;
    private final FileChannel channel;
    private final AuditKey key;
    private final AuditPin pin;
    private final AuditVerification atOpen;
    private long seq;
    private String last;
    /** The file's length as this process wrote it; anything else on disk was changed behind its back. */
    private long size;
    /** Byte offset of each line, in file order. */
    private long[] offsets;
    private int lines;
    private boolean changeBehindReported;

    private AuditLog(Path file, Clock clock, FileChannel channel, AuditKey key, AuditPin pin, Scan scan,
                     AuditVerification atOpen) {
        this.file = file;
        this.clock = clock;
        this.channel = channel;
        this.key = key;
        this.pin = pin;
        this.atOpen = atOpen;
        this.seq = scan.lastSeq;
        this.last = scan.lastHash;
        this.size = scan.size;
        this.offsets = scan.offsets;
        this.lines = scan.lines;
    }

    public static AuditLog open(Path dir, Clock clock) {
        AuditPin pin = null;
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("audit.jsonl");
            dropTornTail(file);
            Scan scan = Scan.of(file);
            pin = AuditPin.open(dir.resolve("audit-pin"));
            AuditPin.Head head = pin.head();
            List<String> found = new ArrayList<>();
            AuditKey key = AuditKey.read(dir);
            if (key != null && head == null && scan.lastSeq > 0) {
                found.add("the pin was missing; the head is pinned again at entry " + scan.lastSeq
                        + ", so what was cut off before now cannot be told");
            }
            if (key == null) {
                // The first start with pinning: what is there already was hashed without a key.
                key = AuditKey.create(dir, scan.lastSeq);
                if (head != null) {
                    found.add("the audit key " + dir.resolve(AuditKey.FILE) + " was missing; a new one was made, "
                            + "and entries up to " + scan.lastSeq + " can only be checked without a key");
                } else if (scan.lastSeq > 0) {
                    log.info("audit log {}: {} entries written before pinning; new entries are keyed", file, scan.lastSeq);
                }
            }
            AuditVerification chain = verify(file, key);
            if (!chain.ok()) {
                found.add("the chain breaks at line " + chain.firstBadLine() + ": " + chain.problem());
            }
            if (head != null) {
                String headProblem = compareWithPin(file, scan, head);
                if (headProblem != null) {
                    found.add(headProblem);
                }
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            AuditLog audit = new AuditLog(file, clock, ch, key, pin, scan, chain);
            pin.pin(new AuditPin.Head(audit.seq, audit.last, audit.size));
            List<String> known = pin.findings().stream().map(AuditFinding::problem).toList();
            for (String problem : found) {
                if (!known.contains(problem)) {
                    audit.report(problem);
                }
            }
            return audit;
        } catch (IOException e) {
            closeQuietly(pin);
            throw new UncheckedIOException("cannot open audit log in " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(pin);
            throw e;
        }
    }

    private static String compareWithPin(Path file, Scan scan, AuditPin.Head head) {
        if (scan.lastSeq < head.seq()) {
            return "truncated: the file ends at entry " + scan.lastSeq + " but " + head.seq()
                    + " entries were written (the last one's hash is pinned as " + head.hash() + ")";
        }
        AuditEntry pinned = scan.entryAtLine(file, head.seq());
        if (head.seq() > 0 && (pinned == null || pinned.seq() != head.seq() || !head.hash().equals(pinned.hash()))) {
            return "rewritten: entry " + head.seq() + " no longer has the pinned hash " + head.hash();
        }
        return null;
    }

    /** Logs a finding loudly, keeps it in the pin and writes it into the log itself. */
    private synchronized void report(String problem) {
        log.error("audit log {}: {}", file, problem);
        pin.addFinding(new AuditFinding(clock.instant(), problem));
        append("console", "local", "audit_check", file.getFileName().toString(), "tampered", problem);
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
        String hash = key.hash(next, draft.content().encode());
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
        if (lines == offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(64, lines * 2));
        }
        offsets[lines++] = size;
        size += line.length;
        seq = next;
        last = hash;
        pin.pin(new AuditPin.Head(seq, last, size));
        return entry;
    }

    /** Entries newest first, skipping {@code offset}; read from disk, so the admin view shows what is there. */
    public synchronized List<AuditEntry> newest(int offset, int limit) {
        List<AuditEntry> out = new ArrayList<>();
        for (int i = lines - 1 - offset; i >= 0 && out.size() < limit; i--) {
            AuditEntry e = parse(readLine(i));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Checks what an admin is about to read, without re-reading the whole file: the file on disk is still exactly
     * what this process wrote (its length, nothing cut or added behind its back), and the entries of the page
     * {@code newest(offset, limit)} plus the one before them hash and link correctly. The whole chain was checked at
     * open ({@link #atOpen()}); {@link #verify()} checks it all again on demand.
     */
    public synchronized AuditVerification verifyPage(int offset, int limit) {
        long onDisk;
        try {
            onDisk = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
        if (onDisk != size) {
            String problem = "the file changed behind the console: " + size + " bytes written, " + onDisk + " on disk";
            if (!changeBehindReported) {
                changeBehindReported = true;
                report(problem);
            }
            return new AuditVerification(false, 0, 0, problem);
        }
        int newestLine = lines - 1 - offset;
        int oldestLine = Math.max(0, newestLine - limit + 1);
        if (newestLine < 0) {
            return new AuditVerification(true, 0, 0, null);
        }
        JsonObject before = oldestLine == 0 ? null : json(readLine(oldestLine - 1));
        String prev = oldestLine == 0 ? GENESIS : before == null ? null : before.getString("hash");
        for (int i = oldestLine; i <= newestLine; i++) {
            JsonObject entry = json(readLine(i));
            String problem = check(entry, prev, i + 1L, key);
            if (problem != null) {
                return new AuditVerification(false, i - oldestLine, i + 1L, problem);
            }
            prev = entry.getString("hash");
        }
        return new AuditVerification(true, newestLine - oldestLine + 1L, 0, null);
    }

    /** The result of checking the whole chain when the log was opened. */
    public AuditVerification atOpen() {
        return atOpen;
    }

    /** Tampering found so far (at any open or while running); kept in the pin, so it stays listed. */
    public synchronized List<AuditFinding> findings() {
        return pin.findings();
    }

    public synchronized long size() {
        return seq;
    }

    public synchronized String lastHash() {
        return last;
    }

    /** Re-checks every entry's hash and link. */
    public AuditVerification verify() {
        return verify(file, key);
    }

    /** Checks a file (also a copy) with the key file beside it, as {@code audit.key} (or without one: unkeyed). */
    public static AuditVerification verify(Path file) {
        AuditKey key = AuditKey.read(file.toAbsolutePath().getParent());
        return verify(file, key == null ? new AuditKey(new byte[32], Long.MAX_VALUE) : key);
    }

    private static AuditVerification verify(Path file, AuditKey key) {
        if (!Files.exists(file)) {
            return new AuditVerification(true, 0, 0, null);
        }
        String prev = GENESIS;
        long lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                JsonObject o = json(line);
                String problem = check(o, prev, lineNo, key);
                if (problem != null) {
                    return new AuditVerification(false, lineNo - 1, lineNo, problem);
                }
                prev = o.getString("hash");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
        return new AuditVerification(true, lineNo, 0, null);
    }

    /** Why the entry on line {@code seq} does not check out after an entry with hash {@code prev}, or null. */
    private static String check(JsonObject o, String prev, long seq, AuditKey key) {
        if (o == null) {
            return "not a JSON object";
        }
        try {
            JsonObject content = o.copy();
            String stored = (String) content.remove("hash");
            if (prev == null || !prev.equals(content.getString("prev"))) {
                return "prev does not match the entry before";
            }
            Long s = content.getLong("seq");
            if (s == null || s != seq) {
                return "seq " + s + ", expected " + seq;
            }
            if (stored == null || !stored.equals(key.hash(seq, content.encode()))) {
                return "hash does not match the entry's content";
            }
            return null;
        } catch (ClassCastException e) {
            return "a field has the wrong type";
        }
    }

    private String readLine(int index) {
        long start = offsets[index];
        long end = index + 1 < lines ? offsets[index + 1] : size;
        ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && in.read(buf, start + buf.position()) > 0) {
                // read on until the line is complete
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    }

    private static JsonObject json(String line) {
        try {
            return new JsonObject(line);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static AuditEntry parse(String line) {
        JsonObject o = json(line);
        try {
            return o == null ? null : AuditEntry.fromJson(o);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing audit log {}", file, e);
        }
        pin.close();
    }

    private static void closeQuietly(AuditPin pin) {
        if (pin != null) {
            pin.close();
        }
    }

    /** One pass over the file at open: where each line starts, and the last entry's seq and hash. */
    private static final class Scan {
        long[] offsets = new long[64];
        int lines;
        long size;
        long lastSeq;
        String lastHash = GENESIS;

        static Scan of(Path file) throws IOException {
            Scan s = new Scan();
            if (!Files.exists(file)) {
                return s;
            }
            long lastStart = -1;
            long pos = 0;
            long lineStart = 0;
            try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                byte[] chunk = new byte[1 << 16];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] == '\n') {
                            if (s.lines == s.offsets.length) {
                                s.offsets = Arrays.copyOf(s.offsets, s.lines * 2);
                            }
                            s.offsets[s.lines++] = lineStart;
                            lastStart = lineStart;
                            lineStart = pos + i + 1;
                        }
                    }
                    pos += n;
                }
            }
            s.size = pos;
            if (lastStart >= 0) {
                AuditEntry e = s.entryAtLine(file, s.lines);
                if (e == null) {
                    throw new IllegalStateException("audit log " + file + " has an unreadable last entry");
                }
                s.lastSeq = e.seq();
                s.lastHash = e.hash();
            }
            return s;
        }

        /** The entry on 1-based line {@code n}, or null when there is none or it does not parse. */
        AuditEntry entryAtLine(Path file, long n) {
            if (n < 1 || n > lines) {
                return null;
            }
            long start = offsets[(int) n - 1];
            long end = n < lines ? offsets[(int) n] : size;
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
                in.read(buf, start);
                return parse(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read audit log " + file, e);
            }
        }
    }
}

package kz.ikomek.vision.console.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the audit chain is keyed with ({@code audit.key}, mode 600, beside the log): each entry's hash is an
 * HMAC-SHA256 under it, so whoever edits a line cannot re-hash the lines after it without the key.
 *
 * @param legacyUpTo entries up to this seq were written before the key existed and carry plain SHA-256 hashes
 */
record AuditKey(byte[] secret, long legacyUpTo) {

    static final String FILE = "audit.key";

    /** The key beside {@code dir}'s log, or null when there is none. */
    static AuditKey read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonObject o = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            return new AuditKey(HexFormat.of().parseHex(o.getString("hmacSha256")), o.getLong("legacyUpTo", 0L));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit key " + file, e);
        } catch (DecodeException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new IllegalStateException("the audit key " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** A new random key, written owner-only before anything is hashed with it. */
    static AuditKey create(Path dir, long legacyUpTo) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        AuditKey key = new AuditKey(secret, legacyUpTo);
        Path file = dir.resolve(FILE);
        String text = new JsonObject().put("hmacSha256", HexFormat.of().formatHex(secret))
                .put("legacyUpTo", legacyUpTo).encode() + "\n";
        try {
            Files.deleteIfExists(file);
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's ACL applies.
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit key " + file, e);
        }
        return key;
    }

    /** The hash of entry {@code seq}'s content: plain SHA-256 for legacy entries, else HMAC-SHA256. */
    String hash(long seq, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        try {
            if (seq <= legacyUpTo) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has SHA-256 and HmacSHA256", e);
        }
    }
}

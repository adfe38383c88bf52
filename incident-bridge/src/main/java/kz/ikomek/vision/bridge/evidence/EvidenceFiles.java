package kz.ikomek.vision.bridge.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SHA-256 naming of evidence, and the files a version 1 store kept beside RocksDB ({@code root/ab/cdef….jpg}
 * for SHA-256 {@code abcdef…}), read once when {@link EvidenceStore#upgradeFrom} moves them into the store.
 */
public final class EvidenceFiles {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public EvidenceFiles(Path root) {
        this.root = root;
    }

    public static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a version 1 store kept a SHA-256; rejects anything that isn't 64 lowercase hex digits. */
    Path pathOf(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 (64 lowercase hex digits): '" + sha256 + "'");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2) + ".jpg");
    }

    Optional<byte[]> read(String sha256) {
        try {
            return Optional.of(Files.readAllBytes(pathOf(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evidence " + pathOf(sha256), e);
        }
    }

    /** Removes the directory once its frames are in the store. */
    void deleteAll() {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the old evidence directory " + root, e);
        }
    }
}

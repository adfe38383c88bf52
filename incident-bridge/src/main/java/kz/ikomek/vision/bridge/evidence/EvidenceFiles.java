package kz.ikomek.vision.bridge.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Evidence JPEGs on disk, content-addressed: {@code root/ab/cdef….jpg} for SHA-256 {@code abcdef…}. The same
 * frame seen by many candidates is stored once. Files are written to a temporary name, forced to disk, then
 * renamed, so a crash never leaves a half-written JPEG under a valid name.
 */
public final class EvidenceFiles {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public EvidenceFiles(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the evidence directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    /** Where a SHA-256 lives; rejects anything that isn't 64 lowercase hex digits (no path tricks). */
    public Path pathOf(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 (64 lowercase hex digits): '" + sha256 + "'");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2) + ".jpg");
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores the bytes under their SHA-256 unless already there.
     *
     * @throws IllegalArgumentException the declared SHA-256 doesn't match the bytes
     */
    public void store(String declaredSha256, byte[] jpeg) {
        String actual = sha256(jpeg);
        if (!actual.equals(declaredSha256)) {
            throw new IllegalArgumentException("evidence sha256 " + declaredSha256 + " does not match its "
                    + jpeg.length + " bytes (they hash to " + actual + ")");
        }
        Path target = pathOf(actual);
        if (Files.exists(target)) {
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(jpeg);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store evidence " + target, e);
        }
    }

    public boolean exists(String sha256) {
        return Files.exists(pathOf(sha256));
    }

    public Optional<byte[]> read(String sha256) {
        if (!isSha256(sha256)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(pathOf(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evidence " + pathOf(sha256), e);
        }
    }

    /**
     * Files with no metadata row, older than {@code before}: frames stored for a candidate whose incident then
     * kept other frames (evidence per camera is bounded), or left by a crash between file and batch. Deletes
     * them and returns how many; the age guard keeps files of candidates being recorded right now.
     */
    public int sweepOrphans(java.util.Set<String> known, java.time.Instant before) {
        int[] n = {0};
        try (var walk = Files.walk(root, 2)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                String sha = p.getParent().getFileName() + name.replace(".jpg", "");
                boolean stale = Files.getLastModifiedTime(p).toInstant().isBefore(before);
                if (stale && (name.startsWith(".incoming-") || isSha256(sha) && !known.contains(sha))) {
                    Files.deleteIfExists(p);
                    n[0]++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep the evidence directory " + root, e);
        }
        return n[0];
    }

    /** Returns the bytes freed (0 when it was not there). */
    public long delete(String sha256) {
        Path p = pathOf(sha256);
        try {
            long size = Files.size(p);
            Files.delete(p);
            return size;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete evidence " + p, e);
        }
    }
}

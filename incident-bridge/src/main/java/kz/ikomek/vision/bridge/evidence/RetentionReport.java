package kz.ikomek.vision.bridge.evidence;

/** What one retention pass did. {@code protectedFiles}: kept only because an open incident shows them. */
public record RetentionReport(int files, long bytes, int deletedFiles, long deletedBytes, int protectedFiles) {
}

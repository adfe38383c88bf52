package kz.ikomek.vision.bridge.evidence;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which evidence goes: older than the retention age, then the oldest until under the byte budget; never a frame
 * an open incident shows.
 */
public final class Retention {

    private final RetentionOptions options;
    private final EvidenceStore evidence;

    public Retention(RetentionOptions options, EvidenceStore evidence) {
        this.options = options;
        this.evidence = evidence;
    }

    /** Adds what should go to {@code delete} (oldest first) and says what that amounts to. */
    public RetentionReport plan(Set<String> shown, Instant now, List<String> delete) {
        Map<String, EvidenceMeta> all = evidence.all();
        long total = all.values().stream().mapToLong(EvidenceMeta::bytes).sum();
        int kept = (int) all.keySet().stream().filter(shown::contains).count();
        List<Map.Entry<String, EvidenceMeta>> candidates = all.entrySet().stream()
                .filter(en -> !shown.contains(en.getKey()))
                .sorted(Comparator.comparing(en -> en.getValue().lastUsed())).toList();
        Instant cutoff = now.minus(options.maxAge());
        long remaining = total;
        int deleted = 0;
        long freed = 0;
        for (Map.Entry<String, EvidenceMeta> en : candidates) {
            boolean old = en.getValue().lastUsed().isBefore(cutoff);
            if (!old && remaining <= options.maxBytes()) {
                break;
            }
            delete.add(en.getKey());
            remaining -= en.getValue().bytes();
            freed += en.getValue().bytes();
            deleted++;
        }
        return new RetentionReport(all.size(), total, deleted, freed, kept);
    }
}

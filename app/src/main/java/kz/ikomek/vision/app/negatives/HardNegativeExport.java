package kz.ikomek.vision.app.negatives;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentArchive;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.config.BadInputException;

/**
 * Rejected incidents' evidence frames as a training source of "clear" pictures (hard negatives):
 * {@code DIR/clear/<sha256>.jpg} plus {@code DIR/manifest.csv}, one row per frame of each rejected incident.
 *
 * <p>Rerunning is safe and cheap: files are named by their content, so a frame already there is left alone and
 * one shown by two incidents is stored once; the manifest is rewritten whole (temporary file, then renamed), and
 * keeps the rows of earlier exports whose frames the store has since deleted (evidence retention), as long as
 * their file is still in the folder. Nothing is ever deleted from DIR.
 */
public final class HardNegativeExport {

    /** The manifest's columns, in order: the trainer reads them by name. */
    public static final List<String> COLUMNS = List.of("file", "incident", "camera", "zone", "type", "role", "at",
            "rejected_by", "rejected_at", "reason", "sha256");
    public static final String LABEL = "clear";
    public static final String MANIFEST = "manifest.csv";

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = schema();

    private HardNegativeExport() {
    }

    private static CsvSchema schema() {
        CsvSchema.Builder b = CsvSchema.builder().setUseHeader(true);
        COLUMNS.forEach(b::addColumn);
        return b.build();
    }

    /**
     * What one run did.
     *
     * @param incidents      rejected incidents in the store
     * @param frames         their frames now in the folder (rows written from the store this run)
     * @param written        of those, files that were not in the folder before
     * @param missing        frames the store lists but no longer has (deleted by evidence retention)
     * @param keptFromBefore rows of earlier exports kept although the store no longer lists them
     */
    public record Summary(int incidents, int frames, int written, int missing, int keptFromBefore) {
    }

    /**
     * @throws BadInputException {@code dir} is a file, or holds a manifest.csv that is not one of ours
     */
    public static Summary export(IncidentArchive archive, Path dir) {
        Path clear = dir.resolve(LABEL);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("--out " + dir + ": is a file; give a folder (created when absent)");
        }
        try {
            Files.createDirectories(clear);
            Map<String, Map<String, String>> rows = new LinkedHashMap<>();
            for (Map<String, String> row : readManifest(dir.resolve(MANIFEST))) {
                if (Files.isRegularFile(dir.resolve(row.getOrDefault("file", "")))) {
                    rows.put(key(row), row);
                }
            }
            int incidents = 0;
            int frames = 0;
            int written = 0;
            int missing = 0;
            Set<String> fromStore = new HashSet<>();
            for (StoredIncident stored : archive.list(IncidentState.REJECTED)) {
                incidents++;
                Incident incident = stored.incident();
                Transition rejection = rejection(incident);
                for (EvidenceRef frame : incident.evidence()) {
                    Path target = clear.resolve(frame.sha256() + ".jpg");
                    if (!Files.isRegularFile(target) || !sha256(target).equals(frame.sha256())) {
                        Optional<byte[]> jpeg = archive.evidence(frame.sha256());
                        if (jpeg.isEmpty()) {
                            missing++;
                            continue;
                        }
                        writeAtomically(target, jpeg.get());
                        written++;
                    }
                    Map<String, String> row = row(dir.relativize(target), stored, frame, rejection);
                    rows.put(key(row), row);
                    fromStore.add(key(row));
                    frames++;
                }
            }
            int kept = (int) rows.keySet().stream().filter(k -> !fromStore.contains(k)).count();
            writeManifest(dir.resolve(MANIFEST), rows.values());
            return new Summary(incidents, frames, written, missing, kept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export hard negatives to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String key(Map<String, String> row) {
        return row.get("incident") + "/" + row.get("sha256");
    }

    /** The last move into REJECTED: who said it was a false alarm, when and why. */
    private static Transition rejection(Incident incident) {
        List<Transition> history = incident.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).to() == IncidentState.REJECTED) {
                return history.get(i);
            }
        }
        throw new IllegalStateException("incident " + incident.id() + " is REJECTED but its history has no rejection");
    }

    private static Map<String, String> row(Path file, StoredIncident stored, EvidenceRef frame, Transition rejection) {
        Incident incident = stored.incident();
        // The bridge keeps "camera/zone" for every zone that reported the incident; a frame belongs to its camera's.
        String prefix = frame.cameraId() + "/";
        String zones = String.join(";", stored.zones().stream().filter(z -> z.startsWith(prefix))
                .map(z -> z.substring(prefix.length())).toList());
        Map<String, String> row = new LinkedHashMap<>();
        row.put("file", file.toString().replace('\\', '/'));
        row.put("incident", incident.id());
        row.put("camera", frame.cameraId());
        row.put("zone", zones);
        row.put("type", incident.type().wireName());
        row.put("role", frame.role());
        row.put("at", frame.at().toString());
        row.put("rejected_by", rejection.actor());
        row.put("rejected_at", rejection.at().toString());
        row.put("reason", rejection.reason() == null ? "" : rejection.reason());
        row.put("sha256", frame.sha256());
        return row;
    }

    private static List<Map<String, String>> readManifest(Path manifest) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            return List.of();
        }
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class).with(SCHEMA)
                .readValues(manifest.toFile())) {
            return it.readAll();
        } catch (RuntimeException e) {
            throw new BadInputException(manifest + ": not a manifest this command wrote (" + e.getMessage()
                    + "); move it aside or export into another folder", e);
        }
    }

    private static void writeManifest(Path manifest, Collection<Map<String, String>> rows) throws IOException {
        List<Map<String, String>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((Map<String, String> r) -> r.get("at"))
                .thenComparing(r -> r.get("incident")).thenComparing(r -> r.get("sha256")));
        Path tmp = Files.createTempFile(manifest.getParent(), ".manifest-", ".tmp");
        try {
            CSV.writer(SCHEMA).writeValue(tmp.toFile(), sorted);
            Files.move(tmp, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temporary name, then rename: an interrupted export never leaves a half-written JPEG under a real name. */
    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String sha256(Path file) throws IOException {
        return EvidenceFiles.sha256(Files.readAllBytes(file));
    }
}

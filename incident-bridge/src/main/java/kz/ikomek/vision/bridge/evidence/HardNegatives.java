package kz.ikomek.vision.bridge.evidence;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.bridge.store.Codec;

/**
 * The frames of REJECTED incidents (false alarms: hard negatives for retraining) as
 * {@code dir/<type>/<sha256>.jpg} plus {@code dir/manifest.jsonl}, one line per frame.
 */
public final class HardNegatives {

    private HardNegatives() {
    }

    /** Writes what retention still keeps of {@code rejected}'s frames; returns how many. */
    public static int export(List<Incident> rejected, Function<String, Optional<byte[]>> frames, Path dir) {
        int n = 0;
        try {
            Files.createDirectories(dir);
            try (BufferedWriter manifest = Files.newBufferedWriter(dir.resolve("manifest.jsonl"))) {
                for (Incident i : rejected) {
                    Transition rejection = i.history().get(i.history().size() - 1);
                    for (EvidenceRef e : i.evidence()) {
                        Optional<byte[]> jpeg = frames.apply(e.sha256());
                        if (jpeg.isEmpty()) {
                            continue;
                        }
                        Path target = dir.resolve(i.type().wireName()).resolve(e.sha256() + ".jpg");
                        Files.createDirectories(target.getParent());
                        Files.write(target, jpeg.get());
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("file", dir.relativize(target).toString());
                        line.put("label", "not_" + i.type().wireName());
                        line.put("type", i.type().wireName());
                        line.put("incident", i.id());
                        line.put("sha256", e.sha256());
                        line.put("cameraId", e.cameraId());
                        line.put("role", e.role());
                        line.put("at", e.at().toString());
                        line.put("rejectedBy", rejection.actor());
                        line.put("reason", rejection.reason());
                        manifest.write(Codec.JSON.writeValueAsString(line));
                        manifest.newLine();
                        n++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export hard negatives to " + dir, e);
        }
        return n;
    }
}

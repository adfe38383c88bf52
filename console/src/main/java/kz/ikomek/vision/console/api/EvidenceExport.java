package kz.ikomek.vision.console.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.Transition;

/**
 * A case file for one incident: every retained evidence JPEG, {@code manifest.json} (the incident, who exported
 * it and when, each file's SHA-256 and role) and {@code SHA256SUMS} so anyone can check the frames with
 * {@code sha256sum -c SHA256SUMS}. Each frame's hash is recomputed here: a stored file that no longer matches
 * its content address is refused rather than exported as evidence.
 */
public final class EvidenceExport {

    private EvidenceExport() {
    }

    public static byte[] zip(Incident i, Function<String, Optional<byte[]>> store, String exportedBy) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonArray files = new JsonArray();
        StringBuilder sums = new StringBuilder();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            int n = 0;
            for (EvidenceRef ref : i.evidence()) {
                Optional<byte[]> jpeg = store.apply(ref.sha256());
                JsonObject entry = new JsonObject().put("role", ref.role()).put("camera", ref.cameraId())
                        .put("at", ref.at() == null ? null : ref.at().toString()).put("sha256", ref.sha256());
                if (jpeg.isEmpty()) {
                    files.add(entry.put("file", null).put("note", "no longer retained"));
                    continue;
                }
                String actual = sha256(jpeg.get());
                if (!actual.equals(ref.sha256())) {
                    throw new IllegalStateException("evidence " + ref.sha256() + " of incident " + i.id()
                            + " does not match its hash (" + actual + "): the store is damaged");
                }
                String name = String.format("%02d-%s-%s.jpg", ++n, ref.role(), ref.sha256().substring(0, 12));
                zip.putNextEntry(new ZipEntry(name));
                zip.write(jpeg.get());
                zip.closeEntry();
                files.add(entry.put("file", name));
                sums.append(actual).append("  ").append(name).append('\n');
            }
            JsonArray history = new JsonArray();
            for (Transition t : i.history()) {
                history.add(new JsonObject().put("from", t.from() == null ? null : t.from().name())
                        .put("to", t.to().name()).put("actor", t.actor()).put("at", t.at().toString())
                        .put("reason", t.reason()));
            }
            JsonObject manifest = new JsonObject()
                    .put("incident", i.id()).put("type", i.type().wireName()).put("state", i.state().name())
                    .put("address", i.address())
                    .put("place", i.place() == null ? null
                            : new JsonObject().put("lat", i.place().lat()).put("lon", i.place().lon()))
                    .put("firstSeen", String.valueOf(i.firstSeen())).put("lastSeen", String.valueOf(i.lastSeen()))
                    .put("cameras", new JsonArray(i.cameras())).put("history", history)
                    .put("exportedBy", exportedBy).put("exportedAt", Instant.now().toString())
                    .put("files", files);
            put(zip, "manifest.json", manifest.encodePrettily() + "\n");
            put(zip, "SHA256SUMS", sums.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the case file of incident " + i.id(), e);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package kz.ikomek.vision.console.audit;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** What someone who can edit the audit file but has no key can do to it, for the tests that must catch it. */
public final class Tampering {

    private Tampering() {
    }

    /** Replaces {@code from} by {@code to} in every line, then re-hashes the whole chain with plain SHA-256. */
    public static void rewriteAndRehash(Path file, String from, String to) throws Exception {
        List<String> out = new ArrayList<>();
        String prev = AuditLog.GENESIS;
        for (String line : Files.readAllLines(file)) {
            JsonObject o = new JsonObject(line.replace(from, to));
            o.remove("hash");
            o.put("prev", prev);
            prev = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(o.encode().getBytes(StandardCharsets.UTF_8)));
            out.add(o.put("hash", prev).encode());
        }
        Files.write(file, out);
    }
}

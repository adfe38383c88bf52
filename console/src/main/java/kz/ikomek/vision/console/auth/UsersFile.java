package kz.ikomek.vision.console.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.config.BadInputException;

/**
 * The users file managed by {@code ikomek-vision user add}: JSON
 * {@code {"users": [{"username", "role", "service", "passwordHash"}]}}, written atomically with mode 600
 * because bcrypt hashes are still worth guessing at.
 */
public final class UsersFile {

    private UsersFile() {
    }

    public static List<User> load(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonObject root;
        try {
            root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException("users file " + file + ": cannot read it: " + e.getMessage(), e);
        } catch (DecodeException e) {
            throw new BadInputException("users file " + file + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonArray users = root.getJsonArray("users", new JsonArray());
        List<User> out = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            String path = "users file " + file + ": users[" + i + "]";
            if (!(users.getValue(i) instanceof JsonObject u)) {
                throw new BadInputException(path + ": must be an object");
            }
            out.add(parse(path, u));
        }
        return List.copyOf(out);
    }

    static User parse(String path, JsonObject u) {
        String username = u.getString("username");
        if (username == null || !Usernames.valid(username)) {
            throw new BadInputException(path + ".username: " + Usernames.RULE + ", got '" + username + "'");
        }
        String roleName = u.getString("role");
        Role role = Role.fromWire(roleName == null ? "" : roleName).orElseThrow(() ->
                new BadInputException(path + ".role: unknown '" + roleName + "', expected one of " + Role.wireNames()));
        String hash = u.getString("passwordHash");
        if (hash == null || !hash.startsWith("$2")) {
            throw new BadInputException(path + ".passwordHash: must be a bcrypt hash ($2a$…)");
        }
        String service = u.getString("service");
        if (role == Role.UTILITY && (service == null || service.isBlank())) {
            throw new BadInputException(path + ".service: a utility user needs the service code it works for");
        }
        return new User(username, role, service, hash);
    }

    /** Adds or replaces the user with that name. */
    public static void put(Path file, User user) {
        Map<String, User> byName = new LinkedHashMap<>();
        for (User u : load(file)) {
            byName.put(u.username(), u);
        }
        byName.put(user.username(), user);
        JsonArray arr = new JsonArray();
        for (User u : byName.values()) {
            JsonObject o = new JsonObject().put("username", u.username()).put("role", u.role().wireName());
            if (u.service() != null) {
                o.put("service", u.service());
            }
            arr.add(o.put("passwordHash", u.passwordHash()));
        }
        write(file, new JsonObject().put("users", arr).encodePrettily() + "\n");
    }

    private static void write(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".users", ".tmp");
            try {
                trySetOwnerOnly(tmp);
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new BadInputException("users file " + file + ": cannot write it: " + e.getMessage(), e);
        }
    }

    private static void trySetOwnerOnly(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL applies.
        }
    }
}

package kz.ikomek.vision.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.ConsoleConfig;
import kz.ikomek.vision.console.auth.Role;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.auth.UsersFile;

/**
 * How the console listens and whom it lets in.
 *
 * @param port          0 picks a free port (tests); {@link ConsoleServer#port()} tells which
 * @param auditDir      where {@code audit.jsonl} lives; it survives restarts
 * @param secureCookies set when users reach the console over HTTPS (TLS terminated in front of it); see
 *                      {@link kz.ikomek.vision.console.api.AuthRoutes} for why it is off on plain-HTTP localhost
 * @param extraOrigins  origins besides the Host header's that may send state changes (a reverse proxy's name)
 * @param sessionIdle   a session unused this long ends
 * @param sessionMax    a session ends this long after login, used or not
 * @param allowedHosts  Host header names to answer besides {@code host}, loopback and the extra origins' hosts
 * @param limits        what each kind of client may take (pools, queues, streams, connection timeouts)
 */
public record ConsoleOptions(String host, int port, List<User> users, Path auditDir, boolean secureCookies,
                             Set<String> extraOrigins, Duration sessionIdle, Duration sessionMax,
                             Set<String> allowedHosts, ConsoleLimits limits) {

    public ConsoleOptions {
        users = List.copyOf(users);
        extraOrigins = Set.copyOf(extraOrigins);
        allowedHosts = Set.copyOf(allowedHosts);
    }

    /** Plain HTTP, 30-minute idle sessions, 12-hour shifts. */
    public static ConsoleOptions of(String host, int port, List<User> users, Path auditDir) {
        return new ConsoleOptions(host, port, users, auditDir, false, Set.of(), Duration.ofMinutes(30),
                Duration.ofHours(12), Set.of(), ConsoleLimits.DEFAULT);
    }

    /** The same console with these users (the demo adds its own to the configured ones). */
    public ConsoleOptions withUsers(List<User> others) {
        return new ConsoleOptions(host, port, others, auditDir, secureCookies, extraOrigins, sessionIdle, sessionMax,
                allowedHosts, limits);
    }

    public ConsoleOptions withLimits(ConsoleLimits other) {
        return new ConsoleOptions(host, port, users, auditDir, secureCookies, extraOrigins, sessionIdle, sessionMax,
                allowedHosts, other);
    }

    /**
     * From the {@code console:} section of the configuration: its inline users plus those of its {@code usersFile}
     * (read now; a name in both is an error, so nobody wonders which password counts).
     */
    public static ConsoleOptions from(ConsoleConfig config, Path auditDir) {
        List<User> users = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConsoleConfig.User u : config.users()) {
            Role role = Role.valueOf(u.role().name());
            users.add(new User(u.username(), role, u.service().orElse(null), u.passwordHash().reveal()));
            names.add(u.username());
        }
        if (config.usersFile().isPresent()) {
            for (User u : UsersFile.load(config.usersFile().get())) {
                if (!names.add(u.username())) {
                    throw new BadInputException("console.users: '" + u.username() + "' is also in console.usersFile "
                            + config.usersFile().get() + "; keep one of them");
                }
                users.add(u);
            }
        }
        return new ConsoleOptions(config.host(), config.port(), users, auditDir, config.secureCookies(),
                config.extraOrigins(), config.sessionIdle(), config.sessionMax(), config.allowedHosts(),
                ConsoleLimits.DEFAULT);
    }
}

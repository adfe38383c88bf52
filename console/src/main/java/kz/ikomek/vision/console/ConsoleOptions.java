package kz.ikomek.vision.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import kz.ikomek.vision.console.auth.User;

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
 */
public record ConsoleOptions(String host, int port, List<User> users, Path auditDir, boolean secureCookies,
                             Set<String> extraOrigins, Duration sessionIdle, Duration sessionMax) {

    public ConsoleOptions {
        users = List.copyOf(users);
        extraOrigins = Set.copyOf(extraOrigins);
    }

    /** Plain HTTP, 30-minute idle sessions, 12-hour shifts. */
    public static ConsoleOptions of(String host, int port, List<User> users, Path auditDir) {
        return new ConsoleOptions(host, port, users, auditDir, false, Set.of(), Duration.ofMinutes(30),
                Duration.ofHours(12));
    }
}

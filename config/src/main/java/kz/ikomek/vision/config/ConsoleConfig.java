package kz.ikomek.vision.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The web console: where it listens, who may log in (users inline and/or in {@code usersFile}) and
 * how long a login lasts ({@code sessionIdle} unused, {@code sessionMax} in all). {@code secureCookies}
 * when users reach it over HTTPS; {@code extraOrigins} are origins besides the Host header's that may
 * send state changes (a reverse proxy's name). {@code allowedHosts} are the names besides {@code host},
 * loopback and the extra origins' hosts that requests may carry in their Host header (DNS rebinding).
 */
public record ConsoleConfig(String host, int port, List<User> users, Optional<Path> usersFile,
                            Duration sessionIdle, Duration sessionMax, boolean secureCookies, Set<String> extraOrigins,
                            Set<String> allowedHosts) {

    public ConsoleConfig {
        users = List.copyOf(users);
        extraOrigins = Set.copyOf(extraOrigins);
        allowedHosts = Set.copyOf(allowedHosts);
    }

    /**
     * A console user; the hash is bcrypt. {@code service} is the case-system service code a utility
     * user works for (e.g. snow-removal); required for utility users, empty for the others.
     */
    public record User(String username, Role role, Optional<String> service, Secret passwordHash) {
    }

    /** What a user may see and do. */
    public enum Role {
        OPERATOR, POLICE, UTILITY, ADMIN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

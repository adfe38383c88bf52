package kz.ikomek.vision.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The web console: where it listens and who may log in (users inline and/or in {@code usersFile}). */
public record ConsoleConfig(String host, int port, List<User> users, Optional<Path> usersFile, Duration sessionTimeout) {

    public ConsoleConfig {
        users = List.copyOf(users);
    }

    /** A console user; the hash format is the console's (the config only carries it). */
    public record User(String username, Role role, Secret passwordHash) {
    }

    /** What a user may see and do. */
    public enum Role {
        OPERATOR, POLICE, UTILITY, ADMIN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

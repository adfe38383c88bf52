package kz.ikomek.vision.console.auth;

import java.util.Objects;

/**
 * A console account.
 *
 * @param service      for utility users the case-system service code they work for (e.g. "snow-removal"), else null
 * @param passwordHash a bcrypt hash ({@code $2a$…}); never the password
 */
public record User(String username, Role role, String service, String passwordHash) {

    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (role == Role.UTILITY && (service == null || service.isBlank())) {
            throw new IllegalArgumentException("utility user '" + username + "' needs a service (e.g. snow-removal)");
        }
    }

    /** Keeps the hash out of logs and error messages. */
    @Override
    public String toString() {
        return "User[" + username + ", " + role.wireName() + (service == null ? "" : ", " + service) + "]";
    }
}

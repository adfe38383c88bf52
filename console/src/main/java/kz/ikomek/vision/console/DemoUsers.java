package kz.ikomek.vision.console;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Role;
import kz.ikomek.vision.console.auth.User;

/**
 * The demo's accounts: one per role, named after it (operator, police, utility, admin), all with one password:
 * {@code $IKOMEK_DEMO_PASSWORD} when set, else a random one the demo prints at start.
 *
 * @param generated true when the password was made up here (so the caller must print it)
 */
public record DemoUsers(List<User> users, String password, boolean generated) {

    public static final String PASSWORD_ENV = "IKOMEK_DEMO_PASSWORD";

    /** @param utilityService the service code the demo's utility user works for, e.g. "snow-removal" */
    public static DemoUsers create(String utilityService) {
        String fromEnv = System.getenv(PASSWORD_ENV);
        try {
            return create(fromEnv, utilityService, Passwords.DEFAULT_COST);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(PASSWORD_ENV + ": " + e.getMessage()
                    + "; set a longer one, or unset it for a random password", e);
        }
    }

    public static DemoUsers create(String password, String utilityService, int bcryptCost) {
        boolean generated = password == null || password.isEmpty();
        String pw = generated ? randomPassword() : password;
        Passwords hasher = new Passwords(bcryptCost);
        List<User> users = new ArrayList<>();
        for (Role r : Role.values()) {
            users.add(new User(r.wireName(), r, r == Role.UTILITY ? utilityService : null, hasher.hash(pw)));
        }
        return new DemoUsers(List.copyOf(users), pw, generated);
    }

    private static String randomPassword() {
        // No look-alike characters: people type this from a terminal.
        String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "DemoUsers" + users;
    }
}

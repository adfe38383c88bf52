package kz.ikomek.vision.console.auth;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * bcrypt through Spring Security's maintained implementation. Cost 12 takes a few hundred milliseconds on
 * one core: slow enough to make offline guessing of a stolen users file expensive, fast enough for a login.
 * Both calls block: run them off the event loop.
 */
public final class Passwords {

    public static final int DEFAULT_COST = 12;

    private final BCryptPasswordEncoder encoder;

    public Passwords(int cost) {
        this.encoder = new BCryptPasswordEncoder(cost);
    }

    public Passwords() {
        this(DEFAULT_COST);
    }

    public String hash(String password) {
        if (password == null || password.length() < 8) {
            throw new IllegalArgumentException("a password needs at least 8 characters");
        }
        // bcrypt reads only the first 72 bytes: a longer password would silently be a shorter one.
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
            throw new IllegalArgumentException("a password may have at most 72 bytes (a bcrypt limit)");
        }
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        try {
            return encoder.matches(password, hash);
        } catch (IllegalArgumentException tooLong) {
            return false;
        }
    }
}

package kz.ikomek.vision.console.auth;

import java.time.Instant;

/** A logged-in browser or client: the token is the cookie value, {@code lastSeen} slides the idle timeout. */
public final class Session {
    private final String token;
    private final User user;
    private final Instant created;
    private volatile Instant lastSeen;

    Session(String token, User user, Instant created) {
        this.token = token;
        this.user = user;
        this.created = created;
        this.lastSeen = created;
    }

    public String token() {
        return token;
    }

    public User user() {
        return user;
    }

    public Instant created() {
        return created;
    }

    Instant lastSeen() {
        return lastSeen;
    }

    void touch(Instant now) {
        lastSeen = now;
    }
}

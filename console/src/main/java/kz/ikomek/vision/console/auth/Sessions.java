package kz.ikomek.vision.console.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions keyed by a 256-bit random token. Kept in memory on purpose: a restart logs everyone
 * out, which is acceptable for a control room and means no session secret ever touches the disk.
 */
public final class Sessions {

    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    public Sessions(Clock clock, Duration idle, Duration absolute) {
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    public Session open(User user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session s = new Session(token, user, clock.instant());
        byToken.put(token, s);
        return s;
    }

    /** The live session for a token, sliding its idle timeout; expired ones are dropped. */
    public Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(s.lastSeen().plus(idle)) || now.isAfter(s.created().plus(absolute))) {
            byToken.remove(token);
            return Optional.empty();
        }
        s.touch(now);
        return Optional.of(s);
    }

    /** Whether the session still holds, without counting this as activity (for long-lived event streams). */
    public boolean alive(Session s) {
        Instant now = clock.instant();
        return byToken.get(s.token()) == s && !now.isAfter(s.lastSeen().plus(idle))
                && !now.isAfter(s.created().plus(absolute));
    }

    public void close(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    /** Drops sessions that timed out without being asked for again (called from a periodic timer). */
    public void sweep() {
        Instant now = clock.instant();
        byToken.values().removeIf(s -> now.isAfter(s.lastSeen().plus(idle)) || now.isAfter(s.created().plus(absolute)));
    }

    public Duration absoluteLifetime() {
        return absolute;
    }
}

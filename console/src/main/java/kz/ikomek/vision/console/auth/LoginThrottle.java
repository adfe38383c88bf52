package kz.ikomek.vision.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login rate limiting: at most {@code perUser} failed logins for one username and {@code perAddress} from one
 * client address within {@code window}. Counting failures (not attempts) keeps a busy shift change from locking
 * people out; limiting per username as well stops a guesser who rotates addresses.
 */
public final class LoginThrottle {

    private final Clock clock;
    private final Duration window;
    private final int perUser;
    private final int perAddress;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, Duration window, int perUser, int perAddress) {
        this.clock = clock;
        this.window = window;
        this.perUser = perUser;
        this.perAddress = perAddress;
    }

    /** How long this username/address must wait before trying again, if it is blocked now. */
    public Optional<Duration> blockedFor(String username, String address) {
        Instant now = clock.instant();
        Optional<Duration> u = blocked("u:" + username, perUser, now);
        Optional<Duration> a = blocked("a:" + address, perAddress, now);
        if (u.isPresent() && a.isPresent()) {
            return Optional.of(u.get().compareTo(a.get()) > 0 ? u.get() : a.get());
        }
        return u.isPresent() ? u : a;
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        add("u:" + username, now);
        add("a:" + address, now);
    }

    public void succeeded(String username) {
        failures.remove("u:" + username);
    }

    /** Forgets keys with no failure left in the window, so guessed usernames don't pile up in memory. */
    public void sweep() {
        Instant now = clock.instant();
        failures.values().removeIf(q -> {
            synchronized (q) {
                prune(q, now);
                return q.isEmpty();
            }
        });
    }

    private void add(String key, Instant now) {
        Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q, now);
            q.addLast(now);
        }
    }

    private Optional<Duration> blocked(String key, int limit, Instant now) {
        Deque<Instant> q = failures.get(key);
        if (q == null) {
            return Optional.empty();
        }
        synchronized (q) {
            prune(q, now);
            if (q.size() < limit) {
                return Optional.empty();
            }
            // Free again when the oldest failure still counted leaves the window.
            Instant oldest = q.toArray(new Instant[0])[q.size() - limit];
            return Optional.of(Duration.between(now, oldest.plus(window)));
        }
    }

    private void prune(Deque<Instant> q, Instant now) {
        Instant cutoff = now.minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(cutoff)) {
            q.pollFirst();
        }
    }
}

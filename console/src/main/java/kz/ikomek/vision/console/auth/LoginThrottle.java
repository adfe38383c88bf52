package kz.ikomek.vision.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Login rate limiting that a burst cannot race and a stranger cannot turn into a lockout switch.
 *
 * <p>Each attempt is <em>reserved</em> ({@link #reserve}) before the bcrypt work and counts as a failure from that
 * moment: forty requests sent together see each other's reservations, so at most {@code perPair} of them get to
 * check a password. A success hands its reservation back and clears that pair.
 *
 * <p>Three limits within {@code window}:
 * <ul>
 *   <li>{@code perPair} failures for one username from one address: a guesser at one keyboard;</li>
 *   <li>{@code perAddress} failures from one address, whatever the username: a guesser trying many names;</li>
 *   <li>{@code perUser} failures for one username from all addresses together: a guesser with many addresses.
 *       It does not apply to an address this user logged in from before (until that login is
 *       {@code knownFor} old), so strangers cannot lock the real user out of their own desk.</li>
 * </ul>
 * Nobody can lock a name out from elsewhere with five requests any more: the first two limits bind only the
 * guesser's address, and the third only addresses the user never used. An admin can {@link #clear} a name.
 */
public final class LoginThrottle {

    private final Clock clock;
    private final Duration window;
    private final Limits limits;
    private final Duration knownFor;
    /** Key → the reservations and failures still in the window, oldest first. Guarded by {@code this}. */
    private final Map<String, Deque<Mark>> marks = new HashMap<>();
    /** "user\naddress" → when that user last logged in from there. Guarded by {@code this}. */
    private final Map<String, Instant> known = new HashMap<>();

    /** A failure or a pending attempt; identity matters, so that a success removes exactly its own. */
    private static final class Mark {
        final Instant at;

        Mark(Instant at) {
            this.at = at;
        }
    }

    /** @param perPair per username and address; perAddress per address; perUser per username from unknown addresses */
    public record Limits(int perPair, int perAddress, int perUser) {
        public static final Limits DEFAULT = new Limits(5, 20, 100);
    }

    /** The answer to {@link #reserve}: either a permit to check the password, or how long to wait. */
    public sealed interface Reservation permits Permit, Blocked {
    }

    public record Blocked(Duration retryAfter) implements Reservation {
    }

    /** One attempt in flight; call exactly one of {@link #succeeded()} or {@link #failed()}. */
    public final class Permit implements Reservation {
        private final String username;
        private final String address;
        private final Mark mark;

        private Permit(String username, String address, Mark mark) {
            this.username = username;
            this.address = address;
            this.mark = mark;
        }

        /** The attempt was right: its reservation is returned, the pair's failures forgotten, the address known. */
        public void succeeded() {
            synchronized (LoginThrottle.this) {
                remove(addressKey(address), mark);
                remove(userKey(username), mark);
                marks.remove(pairKey(username, address));
                known.put(pairKey(username, address), clock.instant());
            }
        }

        /** The password was never checked (the server was busy): the attempt does not count. */
        public void cancel() {
            synchronized (LoginThrottle.this) {
                remove(pairKey(username, address), mark);
                remove(addressKey(address), mark);
                remove(userKey(username), mark);
            }
        }

        /** The attempt was wrong: the reservation stays as a counted failure. */
        public void failed() {
            // Nothing to do: it was counted when it was reserved.
        }
    }

    public LoginThrottle(Clock clock, Duration window, Limits limits, Duration knownFor) {
        this.clock = clock;
        this.window = window;
        this.limits = limits;
        this.knownFor = knownFor;
    }

    /**
     * Counts this attempt now, before the password is checked, unless one of the limits is already reached.
     * Atomic: concurrent attempts for the same name or address are counted one after the other.
     */
    public synchronized Reservation reserve(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        wait = longer(wait, blocked(pairKey(username, address), limits.perPair(), now));
        wait = longer(wait, blocked(addressKey(address), limits.perAddress(), now));
        if (!isKnown(username, address, now)) {
            wait = longer(wait, blocked(userKey(username), limits.perUser(), now));
        }
        if (!wait.isZero()) {
            return new Blocked(wait);
        }
        Mark mark = new Mark(now);
        for (String key : new String[] {pairKey(username, address), addressKey(address), userKey(username)}) {
            marks.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(mark);
        }
        return new Permit(username, address, mark);
    }

    /** An admin's "let them try again": forgets every failure counted against this username. */
    public synchronized boolean clear(String username) {
        boolean cleared = false;
        String pairPrefix = "p:" + username + "\n";
        for (Iterator<Map.Entry<String, Deque<Mark>>> it = marks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Deque<Mark>> e = it.next();
            if (e.getKey().startsWith(pairPrefix) || e.getKey().equals(userKey(username))) {
                cleared = true;
                it.remove();
            }
        }
        return cleared;
    }

    /** Forgets keys with nothing left in the window, so guessed usernames don't pile up in memory. */
    public synchronized void sweep() {
        Instant now = clock.instant();
        marks.values().removeIf(q -> {
            prune(q, now);
            return q.isEmpty();
        });
        known.values().removeIf(at -> now.isAfter(at.plus(knownFor)));
    }

    private boolean isKnown(String username, String address, Instant now) {
        Instant at = known.get(pairKey(username, address));
        return at != null && !now.isAfter(at.plus(knownFor));
    }

    private Duration blocked(String key, int limit, Instant now) {
        Deque<Mark> q = marks.get(key);
        if (q == null) {
            return Duration.ZERO;
        }
        prune(q, now);
        if (q.size() < limit) {
            return Duration.ZERO;
        }
        // Free again when the oldest mark still counted against the limit leaves the window.
        Mark oldest = q.toArray(new Mark[0])[q.size() - limit];
        Duration wait = Duration.between(now, oldest.at.plus(window));
        return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    }

    private void remove(String key, Mark mark) {
        Deque<Mark> q = marks.get(key);
        if (q != null) {
            q.removeFirstOccurrence(mark);
        }
    }

    private void prune(Deque<Mark> q, Instant now) {
        Instant cutoff = now.minus(window);
        while (!q.isEmpty() && !q.peekFirst().at.isAfter(cutoff)) {
            q.pollFirst();
        }
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String pairKey(String username, String address) {
        return "p:" + username + "\n" + address;
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }

    private static String userKey(String username) {
        return "u:" + username;
    }

    /** Remaining wait for display, at least one second. */
    public static long retryAfterSeconds(Duration wait) {
        return Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
    }
}

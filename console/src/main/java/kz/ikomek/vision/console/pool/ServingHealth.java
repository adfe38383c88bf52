package kz.ikomek.vision.console.pool;

import java.time.Duration;

/**
 * Whether the console is serving its signed-in users: it is not when their requests wait too long for a worker
 * thread (the pool is saturated), even though the event loop still answers {@code /healthz} at once. A busy
 * login pool is reported but is not unhealthy: operators who are signed in are still served.
 *
 * @param maxWait    a signed-in request waiting longer than this for a thread means the console is not serving
 * @param maxWaiting more signed-in requests than this waiting at once means the same
 */
public record ServingHealth(Duration maxWait, int maxWaiting) {

    public static final ServingHealth DEFAULT = new ServingHealth(Duration.ofSeconds(2), 200);

    /** Null when serving, else why not. */
    public String problem(PoolLoad requests) {
        if (requests.waiting() > 0 && requests.oldestWait().compareTo(maxWait) > 0) {
            return "a request has waited " + requests.oldestWait().toMillis() + " ms for a worker (limit "
                    + maxWait.toMillis() + " ms)";
        }
        if (requests.waiting() > maxWaiting) {
            return requests.waiting() + " requests wait for a worker (limit " + maxWaiting + ")";
        }
        return null;
    }
}

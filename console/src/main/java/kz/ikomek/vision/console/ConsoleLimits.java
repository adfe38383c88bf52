package kz.ikomek.vision.console;

import java.time.Duration;
import kz.ikomek.vision.console.auth.LoginThrottle;

/**
 * How much the console lets each kind of client take, so that no stranger can stall it for the operators.
 *
 * @param workerThreads     threads for signed-in requests (RocksDB reads, the audit file)
 * @param loginThreads      threads for password checks (bcrypt): at most half the cores, so a login flood leaves
 *                          the rest to everybody else
 * @param loginQueue        logins allowed to wait for one of those threads; beyond it, 503 at once
 * @param streamsPerSession server-sent-event streams one session may hold (a browser tab each)
 * @param headerTimeout     a connection must deliver a complete request head this soon after it opens or after
 *                          its last answer (slow-header clients, idle keep-alives); else it is closed
 * @param idleTimeout       a connection with no byte read or written this long is closed (SSE pings every 15 s)
 * @param logins            the login throttle's limits
 * @param refusalWindow     repeated refusals of one kind within this window become one summary line in the audit log
 */
public record ConsoleLimits(int workerThreads, int loginThreads, int loginQueue, int streamsPerSession,
                            Duration headerTimeout, Duration idleTimeout, LoginThrottle.Limits logins,
                            Duration refusalWindow) {

    public static final ConsoleLimits DEFAULT = new ConsoleLimits(8,
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 32, 4, Duration.ofSeconds(10),
            Duration.ofSeconds(60), LoginThrottle.Limits.DEFAULT, Duration.ofSeconds(60));
}

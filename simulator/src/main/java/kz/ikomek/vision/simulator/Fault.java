package kz.ikomek.vision.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour a simulated camera can be told to show, so tests can see how clients cope:
 * <ul>
 *   <li>{@link Kind#DROP}: close the connection (TCP reset) {@code after} the client started playing;</li>
 *   <li>{@link Kind#STALL}: stop sending video {@code after} PLAY but keep the socket open and answer requests;</li>
 *   <li>{@link Kind#GARBAGE}: {@code after} PLAY, send random bytes instead of RTP;</li>
 *   <li>{@link Kind#REFUSE}: reset the connection as soon as a request names the camera.</li>
 * </ul>
 */
public record Fault(Kind kind, Duration after) {

    public enum Kind {
        DROP, STALL, GARBAGE, REFUSE
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("fault delay must not be negative: " + after);
        }
    }

    public static Fault dropAfter(Duration after) {
        return new Fault(Kind.DROP, after);
    }

    public static Fault stallAfter(Duration after) {
        return new Fault(Kind.STALL, after);
    }

    public static Fault garbageAfter(Duration after) {
        return new Fault(Kind.GARBAGE, after);
    }

    public static Fault refuse() {
        return new Fault(Kind.REFUSE, Duration.ZERO);
    }
}

package kz.ikomek.vision.simulator.scene;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happens on a simulated street during one loop. The timeline constants are the contract the
 * frame dumper and the demo rely on: each condition appears early and stays for most of the loop.
 */
public enum Scenario {
    CLEAR("clear"),
    SNOW("snow"),
    FLOOD("flood"),
    OPEN_MANHOLE("open_manhole"),
    DUMPING("dumping");

    /** Length of one loop: long enough that each condition is present most of the time. */
    public static final double LOOP_SECONDS = 60;
    /** Snow covers the road over this many seconds from the start of the loop, then stays. */
    public static final double SNOW_FULL_AT = 20;
    /** Water spreads over the road until this time, then stays. */
    public static final double FLOOD_FULL_AT = 15;
    /** The manhole cover is lifted off at this time and stays off. */
    public static final double MANHOLE_OPEN_AT = 5;
    /** Dumping: the truck drives in, stops, waste comes out, the truck leaves. */
    public static final double TRUCK_ENTER_AT = 3;
    public static final double TRUCK_STOP_AT = 8;
    public static final double DUMP_START_AT = 11;
    public static final double DUMP_END_AT = 20;
    public static final double TRUCK_LEAVE_AT = 23;
    public static final double TRUCK_GONE_AT = 32;

    private final String wireName;

    Scenario(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Scenario> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    /** "clear, snow, flood, open_manhole, dumping" for error messages. */
    public static String known() {
        return Arrays.stream(values()).map(Scenario::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}

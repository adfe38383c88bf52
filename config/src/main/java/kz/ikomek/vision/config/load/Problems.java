package kz.ikomek.vision.config.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import kz.ikomek.vision.config.ConfigException;
import kz.ikomek.vision.config.Problem;
import kz.ikomek.vision.config.Urls;

/** Collects every problem of one load, so the user sees them all at once. */
public final class Problems {
    private static final int MAX_ECHO = 60;
    private final List<Problem> list = new ArrayList<>();

    public void add(String path, String message, int line) {
        list.add(new Problem(path, message, line));
    }

    public void add(String path, String message) {
        add(path, message, 0);
    }

    public int size() {
        return list.size();
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws with the problems in file order; one without a line (a CSV cell) stays after the one before it. */
    public void throwIfAny() {
        if (list.isEmpty()) {
            return;
        }
        List<int[]> order = new ArrayList<>(list.size());
        int previous = 0;
        for (int i = 0; i < list.size(); i++) {
            previous = list.get(i).line() > 0 ? list.get(i).line() : previous;
            order.add(new int[] {previous, i});
        }
        order.sort(Comparator.<int[]>comparingInt(o -> o[0]).thenComparingInt(o -> o[1]));
        throw new ConfigException(order.stream().map(o -> list.get(o[1])).toList());
    }

    /** A user's value quoted for a message: credentials masked, long values cut. */
    public static String echo(String value) {
        String masked = Urls.mask(value);
        return "'" + (masked.length() > MAX_ECHO ? masked.substring(0, MAX_ECHO) + "..." : masked) + "'";
    }
}

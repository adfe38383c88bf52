package kz.ikomek.vision.config.load;

import java.util.ArrayList;
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

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }

    /** A user's value quoted for a message: credentials masked, long values cut. */
    public static String echo(String value) {
        String masked = Urls.mask(value);
        return "'" + (masked.length() > MAX_ECHO ? masked.substring(0, MAX_ECHO) + "..." : masked) + "'";
    }
}

package kz.ikomek.vision.config;

import java.util.Objects;

/**
 * A value that must never be printed: an API key, a password hash. {@link #toString()} hides it so a
 * record holding one can be logged; call {@link #reveal()} only where the value is handed to the
 * thing that needs it (an HTTP header, a hash check).
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "******";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}

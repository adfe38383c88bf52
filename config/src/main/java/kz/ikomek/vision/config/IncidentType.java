package kz.ikomek.vision.config;

import java.util.Arrays;
import java.util.Optional;

/** The four kinds of incident the city watches for. {@link #wireName()} is the name used in config, JSON and APIs. */
public enum IncidentType {
    SNOW("snow"),
    FLOOD("flood"),
    OPEN_MANHOLE("open_manhole"),
    DUMPING("dumping");

    private final String wireName;

    IncidentType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<IncidentType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}

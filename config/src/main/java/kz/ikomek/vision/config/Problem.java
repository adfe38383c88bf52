package kz.ikomek.vision.config;

/**
 * One thing wrong with a configuration: where ({@code cameras[17].zones[2].polygon}, or
 * {@code cameras.csv:1207: lat} for a CSV cell) and why. {@code line} is the YAML line (1-based)
 * when known, else 0.
 */
public record Problem(String path, String message, int line) {

    public Problem(String path, String message) {
        this(path, message, 0);
    }

    @Override
    public String toString() {
        String text = path.isEmpty() ? message : path + ": " + message;
        return line > 0 ? text + " (line " + line + ")" : text;
    }
}

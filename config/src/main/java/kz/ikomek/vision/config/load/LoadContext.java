package kz.ikomek.vision.config.load;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import kz.ikomek.vision.config.Durations;

/**
 * What one load shares: the problems found so far, the environment for {@code ${VAR}}, and the
 * directory relative paths resolve against. Converts YAML nodes to typed values, reporting
 * instead of throwing, so one bad value never hides the next.
 */
final class LoadContext {
    private static final Map<String, Node> DEFAULTS = new ConcurrentHashMap<>();
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");
    // Stricter than Double.parseDouble, which would take "30d" or "NaN".
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    final Problems problems;
    final Path baseDir;
    private final EnvSubstitution env;

    /** @param env the environment for {@code ${VAR}}; null = take values literally (data, not config) */
    LoadContext(Problems problems, Path baseDir, Function<String, String> env) {
        this.problems = problems;
        this.baseDir = baseDir;
        this.env = env == null ? null : new EnvSubstitution(env);
    }

    static LoaderOptions loaderOptions() {
        return loaderOptions(100);
    }

    /**
     * We walk nodes, so an alias is walked again each time it is used: the cap on aliases of
     * collections is what keeps a nested "billion laughs" document from running for ever.
     */
    static LoaderOptions loaderOptions(int maxAliases) {
        LoaderOptions options = new LoaderOptions();
        // The default cap (3 MB) is below an inline list of 12,000 cameras.
        options.setCodePointLimit(256 * 1024 * 1024);
        options.setMaxAliasesForCollections(maxAliases);
        options.setNestingDepthLimit(20);
        return options;
    }

    /** A default from {@link ConfigSpec}, parsed once like user YAML. */
    static Node defaultNode(String yaml) {
        return DEFAULTS.computeIfAbsent(yaml, y -> new Yaml(loaderOptions()).compose(new StringReader(y)));
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
    }

    static String describe(Node node) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        return Problems.echo(((ScalarNode) node).getValue());
    }

    // ---- scalars; each returns null after reporting a problem, or when the node is absent ----

    String text(Node node, String path, String expected) {
        if (isNull(node)) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            problems.add(path, "expected " + expected + ", got " + describe(node), line(node));
            return null;
        }
        return env == null ? s.getValue() : env.apply(s.getValue(), path, line(node), problems);
    }

    /** Non-blank text. */
    String nonBlank(Node node, String path) {
        String t = text(node, path, "text");
        if (t != null && t.isBlank()) {
            problems.add(path, "must not be empty", line(node));
            return null;
        }
        return t;
    }

    String id(Node node, String path) {
        String t = text(node, path, "an id");
        if (t != null && !ID.matcher(t).matches()) {
            problems.add(path, "must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got "
                    + Problems.echo(t), line(node));
            return null;
        }
        return t;
    }

    Integer integer(Node node, String path, int min, int max) {
        String t = text(node, path, "an integer");
        if (t == null) {
            return null;
        }
        long v;
        try {
            v = Long.parseLong(t.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            problems.add(path, "expected an integer, got " + Problems.echo(t), line(node));
            return null;
        }
        if (v < min || v > max) {
            problems.add(path, "must be within " + min + ".." + max + ", got " + v, line(node));
            return null;
        }
        return (int) v;
    }

    Double number(Node node, String path, double min, double max) {
        String t = text(node, path, "a number");
        if (t == null) {
            return null;
        }
        if (!NUMBER.matcher(t.trim()).matches()) {
            problems.add(path, "expected a number, got " + Problems.echo(t), line(node));
            return null;
        }
        double v = Double.parseDouble(t.trim());
        if (v < min || v > max) {
            problems.add(path, "must be within " + fmt(min) + ".." + fmt(max) + ", got " + fmt(v), line(node));
            return null;
        }
        return v;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    Boolean bool(Node node, String path) {
        String t = text(node, path, "true or false");
        if (t == null) {
            return null;
        }
        return switch (t.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problems.add(path, "expected true or false, got " + Problems.echo(t), line(node));
                yield null;
            }
        };
    }

    Duration duration(Node node, String path, Duration min) {
        String t = text(node, path, "a duration");
        if (t == null) {
            return null;
        }
        Duration d;
        try {
            d = Durations.parse(t);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage(), line(node));
            return null;
        }
        if (d.compareTo(min) < 0) {
            problems.add(path, "must be at least " + Durations.format(min) + ", got " + t.trim(), line(node));
            return null;
        }
        return d;
    }

    Long size(Node node, String path) {
        String t = text(node, path, "a size");
        if (t == null) {
            return null;
        }
        Matcher m = SIZE.matcher(t.trim());
        if (!m.matches()) {
            problems.add(path, "expected a size like 500MB or 20GB, got " + Problems.echo(t), line(node));
            return null;
        }
        long multiplier = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            problems.add(path, "size " + Problems.echo(t) + " is too large", line(node));
            return null;
        }
    }

    Path path(Node node, String path) {
        String t = nonBlank(node, path);
        if (t == null) {
            return null;
        }
        try {
            return baseDir.resolve(Path.of(t)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            problems.add(path, "not a valid path: " + Problems.echo(t), line(node));
            return null;
        }
    }

    /** A value out of a fixed set (its wire names in order), with a suggestion for a typo. */
    <T> T choice(Node node, String path, Map<String, T> choices, String noun) {
        String t = text(node, path, noun);
        if (t == null) {
            return null;
        }
        T v = choices.get(t.trim());
        if (v == null) {
            problems.add(path, "unknown " + noun + " " + Problems.echo(t) + Suggestions.hint(t.trim(), choices.keySet()),
                    line(node));
        }
        return v;
    }

    /** {@code host:port[,host:port...]}, as Kafka's bootstrap.servers. */
    String hostPorts(Node node, String path) {
        String t = nonBlank(node, path);
        if (t == null) {
            return null;
        }
        for (String part : t.split(",")) {
            String reason = HostPort.problem(part.trim());
            if (reason != null) {
                problems.add(path, reason, line(node));
                return null;
            }
        }
        return t;
    }
}

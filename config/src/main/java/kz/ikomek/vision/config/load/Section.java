package kz.ikomek.vision.config.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.ikomek.vision.config.Secret;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping read against its {@link ConfigSpec.Obj}: unknown and duplicate keys are
 * reported when it is opened; each getter returns the user's value, else the spec's default, else
 * null (after reporting a missing required key).
 */
final class Section {
    private final LoadContext ctx;
    private final String path;
    private final ConfigSpec.Obj spec;
    private final Map<String, Node> values = new LinkedHashMap<>();
    private final int line;
    // Keys not to call missing: the section itself was reported missing, or a typo of the key was.
    private final boolean absent;
    private final Set<String> misspelled = new HashSet<>();

    private Section(LoadContext ctx, String path, ConfigSpec.Obj spec, Node node, boolean absent) {
        this.ctx = ctx;
        this.path = path;
        this.spec = spec;
        this.absent = absent;
        this.line = LoadContext.line(node);
        if (node instanceof MappingNode mapping) {
            collect(mapping, true);
        } else if (!LoadContext.isNull(node)) {
            ctx.problems.add(path.isEmpty() ? "(top level)" : path,
                    "expected a mapping of keys, got " + LoadContext.describe(node), line);
        }
    }

    static Section open(LoadContext ctx, String path, ConfigSpec.Obj spec, Node node) {
        return new Section(ctx, path, spec, node, false);
    }

    private void collect(MappingNode mapping, boolean own) {
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                ctx.problems.add(path, "keys must be plain names, got " + LoadContext.describe(t.getKeyNode()),
                        LoadContext.line(t.getKeyNode()));
                continue;
            }
            String key = k.getValue();
            if (key.equals("<<")) {
                merged.add(t);
                continue;
            }
            String keyPath = child(key);
            if (!spec.names().contains(key)) {
                ctx.problems.add(keyPath, "unknown " + spec.noun() + " '" + key + "'"
                        + Suggestions.hint(key, spec.names()), LoadContext.line(k));
                Suggestions.closest(key, spec.names()).ifPresent(misspelled::add);
            } else if (values.containsKey(key)) {
                if (own) {
                    ctx.problems.add(keyPath, "duplicate key (also on line " + LoadContext.line(values.get(key)) + ")",
                            LoadContext.line(k));
                }
            } else {
                values.put(key, t.getValueNode());
            }
        }
        // YAML merge keys (<<: *anchor): the mapping's own keys win over merged ones.
        for (NodeTuple t : merged) {
            Node v = t.getValueNode();
            List<Node> sources = v instanceof SequenceNode s ? s.getValue() : List.of(v);
            for (Node source : sources) {
                if (source instanceof MappingNode m) {
                    collect(m, false);
                } else {
                    ctx.problems.add(child("<<"), "can only merge mappings, got " + LoadContext.describe(source),
                            LoadContext.line(source));
                }
            }
        }
    }

    String path() {
        return path;
    }

    int line() {
        return line;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        spec.key(key);
        return !LoadContext.isNull(values.get(key));
    }

    /** The line of the user's value for {@code key}, else of this section; reports nothing. */
    int lineOf(String key) {
        spec.key(key);
        Node n = values.get(key);
        return n == null ? line : LoadContext.line(n);
    }

    /** The user's node for {@code key}, else its default, else null (reported when required). */
    Node node(String key) {
        ConfigSpec.Key k = spec.key(key);
        Node n = values.get(key);
        if (!LoadContext.isNull(n)) {
            return n;
        }
        if (k.defaultYaml() != null) {
            return LoadContext.defaultNode(k.defaultYaml());
        }
        if (k.required() && !absent && !misspelled.contains(key)) {
            ctx.problems.add(child(key), "missing", line);
        }
        return null;
    }

    String text(String key) {
        return ctx.nonBlank(node(key), child(key));
    }

    String id(String key) {
        return ctx.id(node(key), child(key));
    }

    Integer integer(String key, int min, int max) {
        return ctx.integer(node(key), child(key), min, max);
    }

    Double number(String key, double min, double max) {
        return ctx.number(node(key), child(key), min, max);
    }

    Boolean bool(String key) {
        return ctx.bool(node(key), child(key));
    }

    Duration duration(String key, Duration min) {
        return ctx.duration(node(key), child(key), min);
    }

    Long size(String key) {
        return ctx.size(node(key), child(key));
    }

    Path path(String key) {
        return ctx.path(node(key), child(key));
    }

    String hostPorts(String key) {
        return ctx.hostPorts(node(key), child(key));
    }

    /** A URL with one of {@code schemes}; the value (with any credentials) is never echoed unmasked. */
    String url(String key, List<String> schemes) {
        Node n = node(key);
        String url = ctx.nonBlank(n, child(key));
        if (url == null) {
            return null;
        }
        String reason = CameraUrls.problem(url, schemes);
        if (reason != null) {
            ctx.problems.add(child(key), reason, LoadContext.line(n));
            return null;
        }
        return url;
    }

    Secret secret(String key) {
        Node n = node(key);
        if (n != null && !(n instanceof ScalarNode)) {
            // Say what was wrong without echoing anything that might be the secret.
            ctx.problems.add(child(key), "expected a single value", LoadContext.line(n));
            return null;
        }
        String t = ctx.text(n, child(key), "a value");
        if (t != null && t.isEmpty()) {
            // ${OPEN311_KEY:-} with the variable unset leaves an optional secret unset.
            if (spec.key(key).required()) {
                ctx.problems.add(child(key), "must not be empty", LoadContext.line(n));
            }
            return null;
        }
        return t == null ? null : Secret.of(t);
    }

    <T> T choice(String key, Map<String, T> choices, String noun) {
        return ctx.choice(node(key), child(key), choices, noun);
    }

    /** A section that is always there; absent = its defaults. */
    Section section(String key) {
        ConfigSpec.Key k = spec.key(key);
        Node n = values.get(key);
        boolean missing = LoadContext.isNull(n) && k.required();
        if (missing && !absent && !misspelled.contains(key)) {
            ctx.problems.add(child(key), "missing", line);
        }
        return new Section(ctx, child(key), k.child(), n, missing || absent);
    }

    /** A section that switches something on; empty when absent. */
    Optional<Section> optionalSection(String key) {
        ConfigSpec.Key k = spec.key(key);
        Node n = values.get(key);
        return LoadContext.isNull(n) ? Optional.empty() : Optional.of(new Section(ctx, child(key), k.child(), n, false));
    }

    /** The items of a list key, each with its path ({@code cameras[3]}); empty after reporting a non-list. */
    List<Item> list(String key) {
        Node n = node(key);
        return items(ctx, n, child(key));
    }

    static List<Item> items(LoadContext ctx, Node n, String path) {
        if (LoadContext.isNull(n)) {
            return List.of();
        }
        if (!(n instanceof SequenceNode seq)) {
            ctx.problems.add(path, "expected a list, got " + LoadContext.describe(n), LoadContext.line(n));
            return List.of();
        }
        List<Item> items = new ArrayList<>(seq.getValue().size());
        for (int i = 0; i < seq.getValue().size(); i++) {
            items.add(new Item(path + "[" + i + "]", seq.getValue().get(i)));
        }
        return items;
    }

    /** The entries of a mapping whose keys the user names (zone presets), key validated as an id. */
    Map<String, Item> entries(String key) {
        Node n = values.get(key);
        spec.key(key);
        Map<String, Item> out = new LinkedHashMap<>();
        if (LoadContext.isNull(n)) {
            return out;
        }
        if (!(n instanceof MappingNode m)) {
            ctx.problems.add(child(key), "expected a mapping of names, got " + LoadContext.describe(n), LoadContext.line(n));
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String name = ctx.id(t.getKeyNode(), child(key));
            if (name != null) {
                if (out.containsKey(name)) {
                    ctx.problems.add(child(key) + "." + name, "duplicate key", LoadContext.line(t.getKeyNode()));
                } else {
                    out.put(name, new Item(child(key) + "." + name, t.getValueNode()));
                }
            }
        }
        return out;
    }

    Section open(Item item, ConfigSpec.Obj childSpec) {
        return new Section(ctx, item.path(), childSpec, item.node(), false);
    }

    /** One element of a list with its path. */
    record Item(String path, Node node) {
        int line() {
            return LoadContext.line(node);
        }
    }
}

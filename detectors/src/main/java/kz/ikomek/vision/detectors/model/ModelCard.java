package kz.ikomek.vision.detectors.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;

/**
 * What a model file is and how to feed it: the team contract between models/ and the runtime.
 *
 * <pre>
 * {"name", "version", "file": "NAME.onnx", "sha256": "HEX",
 *  "kind": "multilabel-classifier" | "softmax-classifier" | "yolo" | "detections",
 *  "input": {"name": "input", "width": W, "height": H, "channels": "RGB", "scale": 255.0, "mean": [3], "std": [3],
 *            "layout": "NCHW" | "NHWC"},
 *  "output": {"name": "scores", "labels": [...], "activation": "sigmoid" | "softmax" | "none"},
 *  "thresholds": {"snow": 0.5, ...},
 *  "types": {"pile": "dumping"},      // optional: label → incident type where the label is not a type's name
 *  "screen": {"model": "ikomek-incidents", "below": {"open_manhole": 0.2}},   // optional, see {@link Screen}
 *  ...free-form descriptive fields}
 * </pre>
 * A label maps to the incident type of the same wire name ({@code snow}, {@code flood}, {@code open_manhole},
 * {@code dumping}) unless {@code types} maps it; labels of neither kind (e.g. {@code clear}, {@code truck}) are
 * read by no detector. A threshold is looked up by the type's wire name, then by the label, default 0.5.
 *
 * <p>{@code detections}: an object detector whose output per item is {@code [boxes, 6]} rows of x1, y1, x2, y2 (input
 * pixels), score, class (an index into {@code labels}), as exported with its non-maximum suppression inside (the COCO
 * CenterNet). It scores no incident type; the dumping tracker asks it for vehicles. Thresholds are per label.
 */
public record ModelCard(String name, String version, String file, String sha256, Kind kind, InputSpec input,
                        String outputName, List<String> labels, Activation activation,
                        Map<String, Double> thresholds, Map<String, IncidentType> labelTypes,
                        Optional<Screen> screen) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A cascade: for the types in {@code below}, the cheaper model {@code model} looks first, and this model runs
     * only when that one's score reaches the type's value; below it the look is negative. A costly model at a fast
     * cadence then costs what the screen lets through (models/README.md has the measurements behind the values).
     */
    public record Screen(String model, Map<IncidentType, Double> below) {
    }

    public enum Kind {
        MULTILABEL_CLASSIFIER("multilabel-classifier"), SOFTMAX_CLASSIFIER("softmax-classifier"), YOLO("yolo"),
        DETECTIONS("detections");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        static Optional<Kind> fromWire(String s) {
            for (Kind k : values()) {
                if (k.wire.equals(s)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    public enum Activation { SIGMOID, SOFTMAX, NONE }

    /** The incident type that output label {@code index} scores, if any. */
    public Optional<IncidentType> typeOf(int index) {
        String label = labels.get(index);
        IncidentType mapped = labelTypes.get(label);
        return mapped != null ? Optional.of(mapped) : IncidentType.fromWire(label);
    }

    /** Index of the label that scores {@code type}, or -1 when this model does not score it. */
    public int indexOf(IncidentType type) {
        for (int i = 0; i < labels.size(); i++) {
            if (typeOf(i).orElse(null) == type) {
                return i;
            }
        }
        return -1;
    }

    /** A label's own threshold (detections: "truck"), default 0.5. */
    public double threshold(String label) {
        return thresholds.getOrDefault(label, 0.5);
    }

    public double threshold(IncidentType type) {
        Double t = thresholds.get(type.wireName());
        if (t == null) {
            int i = indexOf(type);
            t = i >= 0 ? thresholds.get(labels.get(i)) : null;
        }
        return t != null ? t : 0.5;
    }

    /**
     * Refuses a model file that is not the one the card describes: a stale export or a half-copied file would
     * otherwise score silently wrong.
     */
    public void verify(byte[] onnx, String where) {
        String actual = sha256Hex(onnx);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new BadInputException("model file " + where + " does not match its card " + name
                    + ".card.json: SHA-256 of the file is " + actual + ", the card says " + sha256
                    + "; re-export the model or fix the card's sha256");
        }
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Parses a card; every problem is listed with its field path and the card's name in one error. */
    public static ModelCard parse(byte[] json, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new BadInputException("model card " + where + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException("model card " + where + ": expected a JSON object");
        }
        List<String> problems = new ArrayList<>();
        String name = text(root, "name", problems);
        String version = root.path("version").asText("");
        String file = text(root, "file", problems);
        String sha = text(root, "sha256", problems);
        if (sha != null && !sha.matches("(?i)[0-9a-f]{64}")) {
            problems.add("sha256: needs 64 hex digits, got '" + sha + "'");
        }
        String kindText = text(root, "kind", problems);
        Kind kind = kindText == null ? null : Kind.fromWire(kindText).orElse(null);
        if (kindText != null && kind == null) {
            problems.add("kind: '" + kindText + "' is none of multilabel-classifier, softmax-classifier, yolo, detections");
        }
        JsonNode in = root.path("input");
        int width = positiveInt(in, "input.width", problems);
        int height = positiveInt(in, "input.height", problems);
        String channels = in.path("channels").asText("RGB").toUpperCase(Locale.ROOT);
        if (!channels.equals("RGB") && !channels.equals("BGR")) {
            problems.add("input.channels: '" + channels + "' is neither RGB nor BGR");
        }
        double scale = in.path("scale").asDouble(255.0);
        if (scale <= 0) {
            problems.add("input.scale: must be > 0, got " + scale);
        }
        String layout = in.path("layout").asText("NCHW").toUpperCase(Locale.ROOT);
        if (!layout.equals("NCHW") && !layout.equals("NHWC")) {
            problems.add("input.layout: '" + layout + "' is neither NCHW nor NHWC");
        }
        float[] mean = triple(in, "mean", 0f, problems);
        float[] std = triple(in, "std", 1f, problems);
        for (float s : std) {
            if (s == 0f) {
                problems.add("input.std: must not contain 0");
                break;
            }
        }
        JsonNode out = root.path("output");
        List<String> labels = new ArrayList<>();
        out.path("labels").forEach(l -> labels.add(l.asText()));
        if (labels.isEmpty()) {
            problems.add("output.labels: needs at least one label");
        }
        String act = out.path("activation").asText("none").toUpperCase(Locale.ROOT);
        Activation activation = null;
        try {
            activation = Activation.valueOf(act);
        } catch (IllegalArgumentException e) {
            problems.add("output.activation: '" + act.toLowerCase(Locale.ROOT) + "' is none of sigmoid, softmax, none");
        }
        Map<String, Double> thresholds = new LinkedHashMap<>();
        root.path("thresholds").fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber() || e.getValue().asDouble() < 0 || e.getValue().asDouble() > 1) {
                problems.add("thresholds." + e.getKey() + ": needs a number in 0..1, got " + e.getValue());
            } else {
                thresholds.put(e.getKey(), e.getValue().asDouble());
            }
        });
        Map<String, IncidentType> labelTypes = new LinkedHashMap<>();
        root.path("types").fields().forEachRemaining(e -> {
            Optional<IncidentType> t = IncidentType.fromWire(e.getValue().asText());
            if (t.isEmpty()) {
                problems.add("types." + e.getKey() + ": '" + e.getValue().asText()
                        + "' is none of snow, flood, open_manhole, dumping");
            } else if (!labels.contains(e.getKey())) {
                problems.add("types." + e.getKey() + ": no such label in output.labels " + labels);
            } else {
                labelTypes.put(e.getKey(), t.get());
            }
        });
        Optional<Screen> screen = screen(root.get("screen"), name, labels, labelTypes, problems);
        if (!problems.isEmpty()) {
            throw new BadInputException("model card " + where + ": " + String.join("; ", problems));
        }
        InputSpec spec = new InputSpec(in.path("name").asText("input"), width, height, channels.equals("RGB"),
                (float) scale, mean, std, layout.equals("NHWC"));
        return new ModelCard(name, version, file, sha.toLowerCase(Locale.ROOT), kind, spec,
                out.path("name").asText(""), List.copyOf(labels), activation, Map.copyOf(thresholds),
                Map.copyOf(labelTypes), screen);
    }

    private static Optional<Screen> screen(JsonNode node, String name, List<String> labels,
                                           Map<String, IncidentType> labelTypes, List<String> problems) {
        if (node == null) {
            return Optional.empty();
        }
        String model = node.path("model").asText("");
        if (model.isBlank()) {
            problems.add("screen.model: missing (the name of the cheaper model that looks first)");
        } else if (model.equals(name)) {
            problems.add("screen.model: a model cannot screen itself");
        }
        Map<IncidentType, Double> below = new EnumMap<>(IncidentType.class);
        node.path("below").fields().forEachRemaining(e -> {
            Optional<IncidentType> t = IncidentType.fromWire(e.getKey());
            boolean covered = t.isPresent() && (labels.contains(e.getKey()) || labelTypes.containsValue(t.get()));
            if (!covered) {
                problems.add("screen.below." + e.getKey() + ": not an incident type this model scores");
            } else if (!e.getValue().isNumber() || e.getValue().asDouble() < 0 || e.getValue().asDouble() > 1) {
                problems.add("screen.below." + e.getKey() + ": needs a number in 0..1, got " + e.getValue());
            } else {
                below.put(t.get(), e.getValue().asDouble());
            }
        });
        if (below.isEmpty()) {
            problems.add("screen.below: needs at least one type with the screen's score that lets a look through");
        }
        return Optional.of(new Screen(model, Map.copyOf(below)));
    }

    private static String text(JsonNode root, String field, List<String> problems) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            problems.add(field + ": missing");
            return null;
        }
        return n.asText();
    }

    private static int positiveInt(JsonNode node, String path, List<String> problems) {
        JsonNode n = node.get(path.substring(path.indexOf('.') + 1));
        if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
            problems.add(path + ": needs a positive integer, got " + (n == null ? "nothing" : n.toString()));
            return 1;
        }
        return n.asInt();
    }

    private static float[] triple(JsonNode in, String field, float absent, List<String> problems) {
        JsonNode n = in.get(field);
        if (n == null) {
            return new float[] {absent, absent, absent};
        }
        if (!n.isArray() || n.size() != 3) {
            problems.add("input." + field + ": needs 3 numbers, got " + n);
            return new float[] {absent, absent, absent};
        }
        return new float[] {(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
    }
}

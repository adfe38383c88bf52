package kz.ikomek.vision.models.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ikomek-vision eval} prints and writes.
 *
 * @param images     images scored (unreadable ones excluded)
 * @param labels     per label, in {@link LabelledImages#LABELS} order
 * @param unreadable "path: reason" for each file that could not be decoded
 */
public record EvalReport(int images, Map<String, LabelResult> labels, List<String> unreadable) {

    /**
     * @param threshold the production threshold of the type; null for {@code clear}, which is
     *                  "no type above its threshold"
     */
    public record LabelResult(double precision, double recall, double f1, Double threshold,
                              int tp, int fp, int fn, int tn) {

        static LabelResult of(Confusion c, Double threshold) {
            return new LabelResult(round(c.precision()), round(c.recall()), round(c.f1()), threshold,
                    c.tp(), c.fp(), c.fn(), c.tn());
        }

        private static double round(double v) {
            return Math.round(v * 10000.0) / 10000.0;
        }
    }

    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-13s %9s %7s %7s %9s %6s %6s %6s %6s%n",
                "label", "precision", "recall", "f1", "threshold", "tp", "fp", "fn", "tn"));
        labels.forEach((label, r) -> sb.append(String.format(Locale.ROOT, "%-13s %9.3f %7.3f %7.3f %9s %6d %6d %6d %6d%n",
                label, r.precision(), r.recall(), r.f1(),
                r.threshold() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.threshold()),
                r.tp(), r.fp(), r.fn(), r.tn())));
        sb.append(images).append(" images scored");
        if (!unreadable.isEmpty()) {
            sb.append(", ").append(unreadable.size()).append(" unreadable:");
            unreadable.forEach(u -> sb.append(System.lineSeparator()).append("  ").append(u));
        }
        return sb.append(System.lineSeparator()).toString();
    }

    /** Exactly {"images": N, "labels": {label: {precision, recall, f1, threshold, tp, fp, fn, tn}}}. */
    public Map<String, Object> toJsonTree() {
        Map<String, Object> labelsJson = new LinkedHashMap<>();
        labels.forEach((label, r) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", r.precision());
            m.put("recall", r.recall());
            m.put("f1", r.f1());
            m.put("threshold", r.threshold());
            m.put("tp", r.tp());
            m.put("fp", r.fp());
            m.put("fn", r.fn());
            m.put("tn", r.tn());
            labelsJson.put(label, m);
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("images", images);
        root.put("labels", labelsJson);
        return root;
    }

    public void writeJson(Path out) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), toJsonTree());
    }
}

package kz.ikomek.vision.detectors.scene;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.inference.InferenceBatcher.ItemOutput;
import kz.ikomek.vision.detectors.model.ModelCard;

/**
 * Turns one item's raw model output into a score per incident type.
 *
 * <p>Classifiers: output {@code [L]} (one value per label), activation per the card.
 * <p>YOLO-style detectors, one item's output either
 * <ul>
 *   <li>{@code [4 + C, B]} (YOLOv8 / v11 export: rows cx, cy, w, h, then C class scores, per box), or</li>
 *   <li>{@code [B, 5 + C]} (YOLOv5 export: cx, cy, w, h, objectness, C class scores per box), or</li>
 *   <li>{@code [B, 4 + C]} (boxes first, no objectness)</li>
 * </ul>
 * with C = the card's labels, coordinates in input pixels. A type's score is its best box's class score
 * (times objectness where present); the box is mapped back to frame pixels. {@code activation: sigmoid} means
 * the scores are logits; {@code none} that the export already squashed them.
 */
final class OutputDecoder {

    private OutputDecoder() {
    }

    static Map<IncidentType, Score> decode(ModelCard card, ItemOutput out, Box region) {
        return card.kind() == ModelCard.Kind.YOLO ? yolo(card, out, region) : classifier(card, out);
    }

    private static Map<IncidentType, Score> classifier(ModelCard card, ItemOutput out) {
        float[] v = out.values();
        int labels = card.labels().size();
        if (v.length != labels) {
            throw new IllegalStateException("model " + card.name() + " gave " + v.length + " scores per item "
                    + Arrays.toString(out.shape()) + " but its card has " + labels + " labels");
        }
        double[] p = activate(card.activation(), v);
        Map<IncidentType, Score> scores = new EnumMap<>(IncidentType.class);
        for (int i = 0; i < labels; i++) {
            Optional<IncidentType> t = card.typeOf(i);
            if (t.isPresent()) {
                scores.put(t.get(), Score.of(p[i], card.threshold(t.get()), null));
            }
        }
        return scores;
    }

    private static double[] activate(ModelCard.Activation activation, float[] v) {
        double[] p = new double[v.length];
        switch (activation) {
            case SIGMOID -> {
                for (int i = 0; i < v.length; i++) {
                    p[i] = sigmoid(v[i]);
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (float x : v) {
                    max = Math.max(max, x);
                }
                double sum = 0;
                for (int i = 0; i < v.length; i++) {
                    p[i] = Math.exp(v[i] - max);
                    sum += p[i];
                }
                for (int i = 0; i < v.length; i++) {
                    p[i] /= sum;
                }
            }
            case NONE -> {
                for (int i = 0; i < v.length; i++) {
                    p[i] = Math.min(1, Math.max(0, v[i]));
                }
            }
        }
        return p;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static Map<IncidentType, Score> yolo(ModelCard card, ItemOutput out, Box region) {
        int c = card.labels().size();
        long[] s = out.shape();
        if (s.length != 2) {
            throw new IllegalStateException("YOLO model " + card.name() + " gave per-item shape " + Arrays.toString(s)
                    + "; accepted: [4+C, boxes], [boxes, 5+C], [boxes, 4+C] with C = " + c);
        }
        boolean channelsFirst;
        boolean objectness;
        int boxes;
        if (s[0] == 4 + c) {
            channelsFirst = true;
            objectness = false;
            boxes = (int) s[1];
        } else if (s[1] == 5 + c) {
            channelsFirst = false;
            objectness = true;
            boxes = (int) s[0];
        } else if (s[1] == 4 + c) {
            channelsFirst = false;
            objectness = false;
            boxes = (int) s[0];
        } else {
            throw new IllegalStateException("YOLO model " + card.name() + " gave per-item shape " + Arrays.toString(s)
                    + "; accepted: [4+C, boxes], [boxes, 5+C], [boxes, 4+C] with C = " + c);
        }
        float[] v = out.values();
        int rowLen = (int) s[1];
        boolean logits = card.activation() == ModelCard.Activation.SIGMOID;
        Map<IncidentType, Score> scores = new EnumMap<>(IncidentType.class);
        double sx = (double) region.width() / card.input().width();
        double sy = (double) region.height() / card.input().height();
        for (int label = 0; label < c; label++) {
            Optional<IncidentType> t = card.typeOf(label);
            if (t.isEmpty()) {
                continue;
            }
            double best = 0;
            int bestBox = -1;
            for (int b = 0; b < boxes; b++) {
                double score = channelsFirst ? v[(4 + label) * boxes + b] : v[b * rowLen + (objectness ? 5 : 4) + label];
                if (logits) {
                    score = sigmoid(score);
                }
                if (objectness) {
                    double obj = v[b * rowLen + 4];
                    score *= logits ? sigmoid(obj) : obj;
                }
                if (score > best) {
                    best = score;
                    bestBox = b;
                }
            }
            Box box = null;
            if (bestBox >= 0) {
                double[] xywh = new double[4];
                for (int k = 0; k < 4; k++) {
                    xywh[k] = channelsFirst ? v[k * boxes + bestBox] : v[bestBox * rowLen + k];
                }
                int x = (int) Math.round(region.x() + (xywh[0] - xywh[2] / 2) * sx);
                int y = (int) Math.round(region.y() + (xywh[1] - xywh[3] / 2) * sy);
                box = new Box(x, y, (int) Math.round(xywh[2] * sx), (int) Math.round(xywh[3] * sy));
            }
            Score prior = scores.get(t.get());
            if (prior == null || best > prior.score()) {
                scores.put(t.get(), Score.of(best, card.threshold(t.get()), box));
            }
        }
        return scores;
    }
}

package kz.ikomek.vision.detectors.objects;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.inference.OnnxModel;
import kz.ikomek.vision.detectors.inference.ZoneCrop;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.model.ModelFile;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An object detector of card kind {@code detections} (the COCO CenterNet): finds objects of given labels in a region
 * of a frame. Called rarely (the dumping tracker asks when a large blob stops in its zone), so one region is one
 * call, with no cross-camera batching: the exported CenterNet takes one image per call anyway. Thread-safe.
 */
public final class ObjectDetector implements AutoCloseable {

    /** Values per output row: x1, y1, x2, y2, score, class. */
    private static final int ROW = 6;

    private final OnnxModel model;
    private final AtomicLong calls = new AtomicLong();

    public ObjectDetector(ModelFile file, InferenceSettings settings) {
        if (file.card().kind() != ModelCard.Kind.DETECTIONS) {
            throw new IllegalArgumentException("model " + file.card().name() + " is a " + file.card().kind()
                    + ", not an object detector (kind detections)");
        }
        this.model = new OnnxModel(file, settings);
    }

    public ModelCard card() {
        return model.card();
    }

    /** How many regions it has looked at: the figure behind its cost per camera. */
    public long calls() {
        return calls.get();
    }

    /**
     * The objects labelled one of {@code labels} in {@code region} (frame pixels) of {@code bgr}, each at or above
     * its label's threshold, best first, boxes in frame pixels (cut to the region). The region is squashed to the
     * model's input, so a region near the input's shape (square for CenterNet) keeps objects undistorted.
     */
    public List<Detection> detect(Mat bgr, Box region, Set<String> labels) throws DetectorException {
        ModelCard card = model.card();
        ZoneCrop crop = ZoneCrop.of(bgr, Zone.around("objects", region, bgr.cols(), bgr.rows(), Set.of()),
                card.input());
        calls.incrementAndGet();
        OnnxModel.Output out = model.run(List.of(crop.tensor()));
        return decode(card, out, crop.region(), labels);
    }

    static List<Detection> decode(ModelCard card, OnnxModel.Output out, Box region, Set<String> labels) {
        long[] shape = out.shape();
        if (shape.length != 3 || shape[2] != ROW) {
            throw new IllegalStateException("object detector " + card.name() + " gave output " + Arrays.toString(shape)
                    + "; expected [1, boxes, 6] rows of x1, y1, x2, y2, score, class");
        }
        float[] v = out.values();
        double sx = (double) region.width() / card.input().width();
        double sy = (double) region.height() / card.input().height();
        List<Detection> found = new ArrayList<>();
        for (int r = 0; r < shape[1]; r++) {
            int o = r * ROW;
            int cls = Math.round(v[o + 5]);
            if (cls < 0 || cls >= card.labels().size()) {
                continue;
            }
            String label = card.labels().get(cls);
            double score = v[o + 4];
            if (!labels.contains(label) || score < card.threshold(label)) {
                continue;
            }
            // Boxes may reach a pixel past the input's edge: cut them to the region.
            int x1 = (int) Math.round(region.x() + Math.max(0, v[o]) * sx);
            int y1 = (int) Math.round(region.y() + Math.max(0, v[o + 1]) * sy);
            int x2 = (int) Math.round(region.x() + Math.min(card.input().width(), v[o + 2]) * sx);
            int y2 = (int) Math.round(region.y() + Math.min(card.input().height(), v[o + 3]) * sy);
            if (x2 > x1 && y2 > y1) {
                found.add(new Detection(label, score, new Box(x1, y1, x2 - x1, y2 - y1)));
            }
        }
        found.sort(Comparator.comparingDouble(Detection::score).reversed());
        return found;
    }

    @Override
    public void close() {
        model.close();
    }
}

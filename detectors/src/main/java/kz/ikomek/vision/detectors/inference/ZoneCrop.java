package kz.ikomek.vision.detectors.inference;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.model.InputSpec;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One zone of one frame, ready for a model: the polygon's bounding box cropped, pixels outside the polygon
 * filled with the model's mean colour (so they normalize to 0 and carry no signal), squashed to the input size,
 * normalized, laid out CHW (or HWC for a channels-last model).
 *
 * @param tensor {@code 3 * height * width} floats, CHW or HWC as the spec says
 * @param region the crop in frame pixels, to map model boxes back to the frame
 */
public record ZoneCrop(float[] tensor, Box region) {

    public static ZoneCrop of(Mat bgr, Zone zone, InputSpec spec) {
        int frameW = bgr.cols();
        int frameH = bgr.rows();
        if (frameW < 1 || frameH < 1 || bgr.type() != CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR image, got " + frameW + "x" + frameH
                    + " type " + bgr.type());
        }
        int n = zone.polygon().size();
        int[] xs = new int[n];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (int) Math.round(zone.polygon().get(i).x() * frameW);
            ys[i] = (int) Math.round(zone.polygon().get(i).y() * frameH);
        }
        Box region = zone.pixelBounds(frameW, frameH);
        // PointerScope frees every native temporary made here when the scope closes, whatever happens.
        try (PointerScope scope = new PointerScope()) {
            Mat crop = new Mat(bgr, new Rect(region.x(), region.y(), region.width(), region.height()));
            if (!zone.isAxisAlignedRectangle()) {
                crop = masked(crop, xs, ys, region, spec);
            }
            Mat sized = new Mat();
            boolean shrinking = region.width() >= spec.width() && region.height() >= spec.height();
            // INTER_AREA when shrinking averages pixels like the antialiased resize used in training;
            // INTER_LINEAR when enlarging (INTER_AREA falls back to it anyway).
            resize(crop, sized, new Size(spec.width(), spec.height()), 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
            if (spec.rgb()) {
                cvtColor(sized, sized, COLOR_BGR2RGB);
            }
            Mat floats = new Mat();
            sized.convertTo(floats, CV_32FC3, 1.0 / spec.scale(), 0);
            return new ZoneCrop(layout(floats, spec), region);
        }
    }

    private static Mat masked(Mat crop, int[] xs, int[] ys, Box region, InputSpec spec) {
        Mat mask = new Mat(region.height(), region.width(), CV_8UC1, new Scalar(0.0));
        Mat points = new Mat(xs.length, 1, CV_32SC2);
        try (IntIndexer idx = points.createIndexer()) {
            for (int i = 0; i < xs.length; i++) {
                idx.put(i, 0, 0, xs[i] - region.x());
                idx.put(i, 0, 1, ys[i] - region.y());
            }
        }
        fillPoly(mask, new MatVector(points), new Scalar(255.0));
        // The mean colour in 0..255, in BGR order whatever the model's channel order.
        float[] m = spec.mean();
        double s = spec.scale();
        Scalar meanBgr = spec.rgb() ? new Scalar(m[2] * s, m[1] * s, m[0] * s, 0) : new Scalar(m[0] * s, m[1] * s, m[2] * s, 0);
        Mat filled = new Mat(region.height(), region.width(), CV_8UC3, meanBgr);
        crop.copyTo(filled, mask);
        return filled;
    }

    private static float[] layout(Mat floats, InputSpec spec) {
        int w = spec.width();
        int h = spec.height();
        int plane = w * h;
        float[] hwc = new float[3 * plane];
        try (FloatIndexer idx = floats.createIndexer()) {
            idx.get(0, hwc);
        }
        float[] mean = spec.mean();
        float[] invStd = {1f / spec.std()[0], 1f / spec.std()[1], 1f / spec.std()[2]};
        if (spec.channelsLast()) {
            for (int i = 0; i < hwc.length; i++) {
                hwc[i] = (hwc[i] - mean[i % 3]) * invStd[i % 3];
            }
            return hwc;
        }
        float[] out = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            int src = 3 * p;
            out[p] = (hwc[src] - mean[0]) * invStd[0];
            out[plane + p] = (hwc[src + 1] - mean[1]) * invStd[1];
            out[2 * plane + p] = (hwc[src + 2] - mean[2]) * invStd[2];
        }
        return out;
    }
}

package kz.ikomek.vision.ingest.quality;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import kz.ikomek.vision.ingest.health.CameraState;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Tells a usable picture from a frozen, black or covered/defocused one, on a 160x90 grey thumbnail
 * (cheap next to the decode): mean and spread of luminance, variance of the Laplacian (detail), and the
 * mean difference to the previous sample.
 */
public final class PictureCheck implements AutoCloseable {

    /** Mean luminance below this with little spread: black. */
    static final double BLACK_MEAN = 20;
    /** Spread of luminance below this: a flat picture (lens covered, sprayed, pointing at a wall). */
    static final double FLAT_STDDEV = 6;
    /** Laplacian variance below this: no edges at all (defocused, fogged). */
    static final double BLUR_LAPLACIAN_VAR = 4;
    /** A thumbnail pixel that moved by more than this many grey levels has changed. */
    static final double CHANGED_LEVEL = 24;
    /**
     * At most this fraction of changed pixels: the same picture as last time. Re-encoding a still
     * picture (H.264 at ~600 kbit/s) changes ~2% of the thumbnail by more than 24 levels at sharp edges;
     * a moving scene ~40%. A very quiet real scene can fall below it: frozen is a hint, not an alarm.
     */
    static final double SAME_FRACTION = 0.03;
    /** This many identical samples in a row make a camera frozen. */
    static final int FROZEN_AFTER = 3;

    private final Size thumbSize = new Size(160, 90);
    private final Mat small = new Mat();
    private final Mat gray = new Mat();
    private Mat previous = new Mat();
    private final Mat diff = new Mat();
    private final Mat laplacian = new Mat();
    private final Mat meanM = new Mat();
    private final Mat stdM = new Mat();
    private int identical;

    /** What the picture says about the camera: STREAMING, FROZEN, BLACK or COVERED. */
    public CameraState check(Mat bgr) {
        resize(bgr, small, thumbSize, 0, 0, INTER_AREA);
        cvtColor(small, gray, COLOR_BGR2GRAY);
        meanStdDev(gray, meanM, stdM);
        double luma = first(meanM);
        double spread = first(stdM);
        Laplacian(gray, laplacian, CV_64F);
        meanStdDev(laplacian, meanM, stdM);
        double lapStd = first(stdM);
        double sharpness = lapStd * lapStd;

        boolean same = false;
        if (!previous.empty()) {
            absdiff(gray, previous, diff);
            threshold(diff, diff, CHANGED_LEVEL, 255, THRESH_BINARY);
            int changed = countNonZero(diff);
            same = changed <= diff.total() * SAME_FRACTION;
        }
        identical = same ? identical + 1 : 0;
        Mat swap = previous;
        previous = gray.clone();
        swap.close();

        if (luma < BLACK_MEAN && spread < FLAT_STDDEV * 2) {
            return CameraState.BLACK;
        }
        if (spread < FLAT_STDDEV || sharpness < BLUR_LAPLACIAN_VAR) {
            return CameraState.COVERED;
        }
        if (identical >= FROZEN_AFTER - 1) {
            return CameraState.FROZEN;
        }
        return CameraState.STREAMING;
    }

    private static double first(Mat m) {
        try (DoubleIndexer i = m.createIndexer()) {
            return i.get(0);
        }
    }

    /** A new connection: the previous picture says nothing about the next. */
    public void reset() {
        identical = 0;
        previous.close();
        previous = new Mat();
    }

    @Override
    public void close() {
        for (Mat m : new Mat[] {small, gray, previous, diff, laplacian, meanM, stdM}) {
            m.close();
        }
        thumbSize.close();
    }
}

package kz.ikomek.vision.ingest.quality;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST_EXACT;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import kz.ikomek.vision.ingest.health.CameraState;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Tells a usable picture from a frozen, black or covered/defocused one, cheaply next to the decode: mean
 * and spread of luminance and variance of the Laplacian (detail) on a 160x90 grey thumbnail, and the
 * mean absolute difference to the previous sample on a 160x90 grid of single pixels.
 *
 * <p>Frozen means the pixels themselves stopped changing, not that nothing moved: a healthy camera on a
 * quiet street still shows sensor noise in every pixel and a ticking clock, while a frozen feed repeats one
 * picture (bit for bit, or re-encoded with only quantization differences). It is decided on time, not on a count of
 * samples: every sample the same as the one before for {@code frozenAfter} (minutes) of the stream's own timeline,
 * which must advance meanwhile. A still street whose noise repeats with the sampling (a simulated street's grain
 * cycle, a camera's temporal noise filter at night) gives a few identical samples in a row; minutes of them, with not
 * one car or person passing, it does not.
 */
public final class PictureCheck implements AutoCloseable {

    /** Mean luminance below this with little spread: black. */
    static final double BLACK_MEAN = 20;
    /** Spread of luminance below this: a flat picture (lens covered, sprayed, pointing at a wall). */
    static final double FLAT_STDDEV = 6;
    /** Laplacian variance below this: no edges at all (defocused, fogged). */
    static final double BLUR_LAPLACIAN_VAR = 4;
    /**
     * Mean absolute grey difference to the previous sample below this: the same picture. Measured between
     * consecutive keyframes of 640x360 H.264 at 700 kbit/s: a frozen still re-encoded by x264 (CBR or CRF,
     * day or night, with or without a ticking on-screen clock) differs by 0.0-0.5; the same still with weak
     * sensor noise (ffmpeg's noise=alls=2) by 1.0-1.1; the simulator's quiet streets by 2.1 or more.
     */
    static final double SAME_MEAN_DIFF = 0.75;
    /** At least this many identical samples in a row, besides {@code frozenAfter} of stream time. */
    static final int FROZEN_AFTER = 3;

    private final Size thumbSize = new Size(160, 90);
    private final Mat small = new Mat();
    private final Mat gray = new Mat();
    private final Mat pixels = new Mat();
    private Mat grid = new Mat();
    private Mat previous = new Mat();
    private final Mat laplacian = new Mat();
    private final Mat meanM = new Mat();
    private final Mat stdM = new Mat();
    private final long frozenAfterNanos;
    private int identical;
    private long sameSince;        // stream time of the first sample of the current run of identical ones
    private double lastDifference = Double.NaN;

    /** @param frozenAfter how long (stream time) the picture must stay the same to be frozen */
    public PictureCheck(java.time.Duration frozenAfter) {
        if (frozenAfter.isNegative()) {
            throw new IllegalArgumentException("frozenAfter must not be negative, got " + frozenAfter);
        }
        this.frozenAfterNanos = frozenAfter.toNanos();
    }

    /**
     * What the picture says about the camera: STREAMING, FROZEN, BLACK or COVERED.
     *
     * @param streamNanos the sample's time on the stream's own timeline (its timestamps), nanoseconds
     */
    public CameraState check(Mat bgr, long streamNanos) {
        resize(bgr, small, thumbSize, 0, 0, INTER_AREA);
        cvtColor(small, gray, COLOR_BGR2GRAY);
        meanStdDev(gray, meanM, stdM);
        double luma = first(meanM);
        double spread = first(stdM);
        Laplacian(gray, laplacian, CV_64F);
        meanStdDev(laplacian, meanM, stdM);
        double lapStd = first(stdM);
        double sharpness = lapStd * lapStd;

        // Single pixels, not area averages: averaging 4x4 pixels would also average the sensor noise away,
        // and that noise is what tells a still street from a frozen feed.
        resize(bgr, pixels, thumbSize, 0, 0, INTER_NEAREST_EXACT);
        cvtColor(pixels, grid, COLOR_BGR2GRAY);
        boolean same = false;
        if (!previous.empty()) {
            absdiff(grid, previous, previous);      // the previous grid is not needed after this
            try (Scalar m = mean(previous)) {
                lastDifference = m.get(0);
            }
            same = lastDifference < SAME_MEAN_DIFF;
        } else {
            lastDifference = Double.NaN;
        }
        if (!same) {
            identical = 0;
            sameSince = streamNanos;
        } else {
            identical++;
        }
        Mat swap = previous;
        previous = grid;
        grid = swap;

        if (luma < BLACK_MEAN && spread < FLAT_STDDEV * 2) {
            return CameraState.BLACK;
        }
        if (spread < FLAT_STDDEV || sharpness < BLUR_LAPLACIAN_VAR) {
            return CameraState.COVERED;
        }
        if (identical >= FROZEN_AFTER - 1 && streamNanos - sameSince >= frozenAfterNanos) {
            return CameraState.FROZEN;
        }
        return CameraState.STREAMING;
    }

    /** Mean absolute grey difference of the last sample to the one before (NaN after a reset). */
    public double lastDifference() {
        return lastDifference;
    }

    private static double first(Mat m) {
        try (DoubleIndexer i = m.createIndexer()) {
            return i.get(0);
        }
    }

    /** A new connection: the previous picture says nothing about the next. */
    public void reset() {
        identical = 0;
        sameSince = 0;
        lastDifference = Double.NaN;
        previous.close();
        previous = new Mat();
    }

    @Override
    public void close() {
        for (Mat m : new Mat[] {small, gray, pixels, grid, previous, laplacian, meanM, stdM}) {
            m.close();
        }
        thumbSize.close();
    }
}

package kz.ikomek.vision.benchmarks.jmh;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** A deterministic analytics-size BGR picture with texture (blurred noise): pre-processing and trackers' input. */
final class SyntheticFrame {

    private SyntheticFrame() {
    }

    /** A new 8-bit BGR image, owned by the caller. */
    static Mat of(int width, int height, long seed) {
        Mat bgr = new Mat(height, width, CV_8UC3);
        byte[] pixels = new byte[width * height * 3];
        new SplittableRandom(seed).nextBytes(pixels);
        bgr.data().put(pixels);
        GaussianBlur(bgr, bgr, new Size(5, 5), 0);
        return bgr;
    }
}

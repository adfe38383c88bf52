package kz.ikomek.vision.ingest.quality;

import static org.assertj.core.api.Assertions.assertThat;

import kz.ikomek.vision.ingest.health.CameraState;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class PictureCheckTest {

    /** A street-like picture: grey background, a grid of edges, and a "car" at x. */
    private static Mat scene(int carX) {
        Mat m = new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(90, 100, 110, 0));
        for (int x = 0; x < 640; x += 40) {
            opencv_imgproc.line(m, new Point(x, 0), new Point(x, 359), new Scalar(220, 220, 220, 0), 2, opencv_imgproc.LINE_8, 0);
        }
        opencv_imgproc.rectangle(m, new Point(carX, 200), new Point(carX + 120, 280), new Scalar(20, 20, 200, 0), -1, opencv_imgproc.LINE_8, 0);
        return m;
    }

    @Test
    void a_moving_scene_is_streaming() {
        try (PictureCheck check = new PictureCheck()) {
            CameraState last = null;
            for (int i = 0; i < 5; i++) {
                try (Mat m = scene(i * 100)) {
                    last = check.check(m);
                }
            }
            assertThat(last).isEqualTo(CameraState.STREAMING);
        }
    }

    @Test
    void the_same_picture_three_times_is_frozen() {
        try (PictureCheck check = new PictureCheck(); Mat m = scene(100)) {
            assertThat(check.check(m)).isEqualTo(CameraState.STREAMING);
            assertThat(check.check(m)).isEqualTo(CameraState.STREAMING);
            assertThat(check.check(m)).isEqualTo(CameraState.FROZEN);
            check.reset();
            assertThat(check.check(m)).isEqualTo(CameraState.STREAMING);
        }
    }

    @Test
    void black_and_flat_pictures_are_told_apart() {
        try (PictureCheck check = new PictureCheck();
             Mat black = new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(3, 3, 3, 0));
             Mat grey = new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0));
             Mat blurred = scene(100)) {
            assertThat(check.check(black)).isEqualTo(CameraState.BLACK);
            assertThat(check.check(grey)).isEqualTo(CameraState.COVERED);
            opencv_imgproc.GaussianBlur(blurred, blurred, new org.bytedeco.opencv.opencv_core.Size(0, 0), 25);
            assertThat(check.check(blurred)).isEqualTo(CameraState.COVERED);
        }
    }
}

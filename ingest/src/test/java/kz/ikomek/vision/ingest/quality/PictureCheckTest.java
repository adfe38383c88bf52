package kz.ikomek.vision.ingest.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kz.ikomek.vision.ingest.health.CameraState;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
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

    /** The camera's on-screen clock, as most IP cameras burn it into the picture. */
    private static void clock(Mat m, int second) {
        String text = String.format("2026-01-15 08:%02d:%02d", second / 60 % 60, second % 60);
        opencv_imgproc.putText(m, text, new Point(10, 22), opencv_imgproc.FONT_HERSHEY_SIMPLEX, 0.5,
                new Scalar(255, 255, 255, 0), 1, opencv_imgproc.LINE_AA, false);
    }

    /** Temporal sensor noise of standard deviation sigma grey levels (the same in B, G and R, as luma noise). */
    private static void sensorNoise(Mat m, double sigma, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[(int) (m.total() * m.channels())];
        m.data().get(pixels);
        for (int i = 0; i < pixels.length; i += 3) {
            int n = (int) Math.round(random.nextGaussian() * sigma);
            for (int c = 0; c < 3; c++) {
                pixels[i + c] = (byte) Math.max(0, Math.min(255, (pixels[i + c] & 0xFF) + n));
            }
        }
        m.data().put(pixels);
    }

    /** The picture through a JPEG encoder and decoder, as a camera's encoder passes every picture. */
    private static Mat reencoded(Mat m, int quality) {
        try (BytePointer jpeg = new BytePointer();
             IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, quality)) {
            opencv_imgcodecs.imencode(".jpg", m, jpeg, params);
            try (Mat buf = new Mat(1, (int) jpeg.limit(), opencv_core.CV_8UC1, jpeg)) {
                return opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
            }
        }
    }

    private static List<CameraState> states(PictureCheck check, List<Mat> pictures) {
        List<CameraState> states = new ArrayList<>();
        for (Mat m : pictures) {
            states.add(check.check(m));
            m.close();
        }
        return states;
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
    void a_still_street_with_sensor_noise_and_a_ticking_clock_is_streaming() {
        // Nothing moves: only the noise of the sensor (weak: 2 grey levels) and the clock change.
        List<Mat> pictures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Mat m = scene(100);
            sensorNoise(m, 2, i);
            clock(m, 2 * i);
            pictures.add(m);
        }
        try (PictureCheck check = new PictureCheck()) {
            assertThat(states(check, pictures)).containsOnly(CameraState.STREAMING);
            assertThat(check.lastDifference()).isGreaterThan(PictureCheck.SAME_MEAN_DIFF);
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
    void a_frozen_picture_is_frozen_though_its_clock_ticks_and_each_sample_is_encoded_anew() {
        // The sensor (its noise included) stopped; the overlay still ticks and the encoder compresses every picture anew.
        List<Mat> pictures = new ArrayList<>();
        try (Mat still = scene(100)) {
            sensorNoise(still, 2, 42);
            for (int i = 0; i < 6; i++) {
                try (Mat m = still.clone()) {
                    clock(m, 2 * i);
                    pictures.add(reencoded(m, 75));
                }
            }
        }
        try (PictureCheck check = new PictureCheck()) {
            assertThat(states(check, pictures)).containsExactly(CameraState.STREAMING, CameraState.STREAMING,
                    CameraState.FROZEN, CameraState.FROZEN, CameraState.FROZEN, CameraState.FROZEN);
            assertThat(check.lastDifference()).isLessThan(PictureCheck.SAME_MEAN_DIFF);
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

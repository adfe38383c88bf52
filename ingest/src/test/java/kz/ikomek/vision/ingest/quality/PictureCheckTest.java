package kz.ikomek.vision.ingest.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

    private static final Duration FROZEN_AFTER = Duration.ofMinutes(2);
    /** Samples of the picture check come 10 s apart on the stream's timeline. */
    private static final long EVERY = Duration.ofSeconds(10).toNanos();

    private static PictureCheck check() {
        return new PictureCheck(FROZEN_AFTER);
    }

    /** Checks each picture at 10 s steps of stream time from {@code t0}, closing them. */
    private static List<CameraState> states(PictureCheck check, List<Mat> pictures, long t0) {
        List<CameraState> states = new ArrayList<>();
        long t = t0;
        for (Mat m : pictures) {
            states.add(check.check(m, t));
            m.close();
            t += EVERY;
        }
        return states;
    }

    private static List<CameraState> states(PictureCheck check, List<Mat> pictures) {
        return states(check, pictures, 0);
    }

    /** A street at night: dark, little contrast, more sensor noise (gain turned up). */
    private static Mat night(int carX) {
        Mat m = scene(carX);
        m.convertTo(m, -1, 0.25, 8);
        return m;
    }

    @Test
    void a_moving_scene_is_streaming() {
        List<Mat> pictures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pictures.add(scene(i * 100));
        }
        try (PictureCheck check = check()) {
            assertThat(states(check, pictures)).containsOnly(CameraState.STREAMING);
        }
    }

    @Test
    void a_still_street_with_sensor_noise_and_a_ticking_clock_is_streaming() {
        // Nothing moves: only the noise of the sensor (weak: 2 grey levels) and the clock change.
        List<Mat> pictures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Mat m = scene(100);
            sensorNoise(m, 2, i);
            clock(m, 10 * i);
            pictures.add(m);
        }
        try (PictureCheck check = check()) {
            assertThat(states(check, pictures)).containsOnly(CameraState.STREAMING);
            assertThat(check.lastDifference()).isGreaterThan(PictureCheck.SAME_MEAN_DIFF);
        }
    }

    @Test
    void a_still_street_at_night_is_streaming() {
        List<Mat> pictures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Mat m = night(100);
            sensorNoise(m, 3, i);
            clock(m, 10 * i);
            pictures.add(m);
        }
        try (PictureCheck check = check()) {
            assertThat(states(check, pictures)).containsOnly(CameraState.STREAMING);
        }
    }

    @Test
    void a_still_street_whose_noise_repeats_with_the_sampling_is_not_frozen_while_anything_passes_within_minutes() {
        // A simulated street's grain repeats every few frames: keyframes that fall on the same grain are the same
        // picture but for the clock. Minutes of that would be frozen; a car passing now and then says it is not.
        List<Mat> pictures = new ArrayList<>();
        try (Mat still = scene(100)) {
            sensorNoise(still, 2, 7);
            for (int i = 0; i < 30; i++) {
                Mat m = i % 10 == 9 ? scene(400) : still.clone();   // a car every 100 s
                clock(m, 10 * i);
                pictures.add(m);
            }
        }
        try (PictureCheck check = check()) {
            assertThat(states(check, pictures)).containsOnly(CameraState.STREAMING);
        }
    }

    @Test
    void the_same_picture_is_frozen_only_after_minutes_of_stream_time() {
        try (PictureCheck check = check(); Mat m = scene(100)) {
            long t = 0;
            for (; t < FROZEN_AFTER.toNanos(); t += EVERY) {
                assertThat(check.check(m, t)).as("at %d s", t / 1_000_000_000L).isEqualTo(CameraState.STREAMING);
            }
            assertThat(check.check(m, t)).isEqualTo(CameraState.FROZEN);
            check.reset();
            assertThat(check.check(m, t + EVERY)).isEqualTo(CameraState.STREAMING);
        }
    }

    @Test
    void identical_samples_whose_stream_time_does_not_advance_are_not_frozen() {
        // A burst of samples after a reconnect can carry one timestamp; frozen is about time, not a count.
        try (PictureCheck check = check(); Mat m = scene(100)) {
            for (int i = 0; i < 50; i++) {
                assertThat(check.check(m, 5_000_000_000L)).isEqualTo(CameraState.STREAMING);
            }
        }
    }

    @Test
    void a_frozen_picture_is_frozen_though_its_clock_ticks_and_each_sample_is_encoded_anew() {
        // The sensor (its noise included) stopped; the overlay still ticks and the encoder compresses every picture anew.
        List<Mat> pictures = new ArrayList<>();
        try (Mat still = scene(100)) {
            sensorNoise(still, 2, 42);
            for (int i = 0; i < 15; i++) {
                try (Mat m = still.clone()) {
                    clock(m, 10 * i);
                    pictures.add(reencoded(m, 75));
                }
            }
        }
        try (PictureCheck check = check()) {
            List<CameraState> states = states(check, pictures);
            assertThat(states.subList(0, 12)).containsOnly(CameraState.STREAMING);     // 0 .. 110 s
            assertThat(states.subList(12, 15)).containsOnly(CameraState.FROZEN);      // 120 s and on
            assertThat(check.lastDifference()).isLessThan(PictureCheck.SAME_MEAN_DIFF);
        }
    }

    @Test
    void a_frozen_picture_at_night_is_frozen() {
        List<Mat> pictures = new ArrayList<>();
        try (Mat still = night(100)) {
            sensorNoise(still, 3, 42);
            for (int i = 0; i < 14; i++) {
                try (Mat m = still.clone()) {
                    clock(m, 10 * i);
                    pictures.add(reencoded(m, 75));
                }
            }
        }
        try (PictureCheck check = check()) {
            assertThat(states(check, pictures).get(13)).isEqualTo(CameraState.FROZEN);
        }
    }

    @Test
    void black_and_flat_pictures_are_told_apart() {
        try (PictureCheck check = check();
             Mat black = new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(3, 3, 3, 0));
             Mat grey = new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0));
             Mat blurred = scene(100)) {
            assertThat(check.check(black, 0)).isEqualTo(CameraState.BLACK);
            assertThat(check.check(grey, EVERY)).isEqualTo(CameraState.COVERED);
            opencv_imgproc.GaussianBlur(blurred, blurred, new org.bytedeco.opencv.opencv_core.Size(0, 0), 25);
            assertThat(check.check(blurred, 2 * EVERY)).isEqualTo(CameraState.COVERED);
        }
    }
}

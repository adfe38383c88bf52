package kz.ikomek.vision.simulator.scene;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class StreetSceneTest {

    private static byte[] pixels(StreetScene s, double t) {
        Mat m = s.render(t);
        byte[] b = new byte[(int) (m.total() * m.channels())];
        m.data().get(b);
        return b;
    }

    /** Mean brightness of the lower half of the picture (the road and sidewalks). */
    private static double groundBrightness(byte[] bgr) {
        long sum = 0;
        int from = bgr.length / 2;
        for (int i = from; i < bgr.length; i++) {
            sum += bgr[i] & 0xFF;
        }
        return sum / (double) (bgr.length - from);
    }

    @Test
    void the_same_seed_and_time_render_the_same_pixels_and_other_seeds_differ() {
        try (StreetScene a = new StreetScene(Scenario.CLEAR, 5);
             StreetScene b = new StreetScene(Scenario.CLEAR, 5);
             StreetScene c = new StreetScene(Scenario.CLEAR, 6)) {
            byte[] pa = pixels(a, 12.4);
            assertThat(pixels(b, 12.4)).isEqualTo(pa);
            assertThat(pixels(c, 12.4)).isNotEqualTo(pa);
            assertThat(pa).hasSize(StreetScene.WIDTH * StreetScene.HEIGHT * 3);
        }
    }

    @Test
    void snow_builds_up_on_the_ground_and_stays() {
        for (long seed = 1; seed <= 3; seed++) {
            try (StreetScene s = new StreetScene(Scenario.SNOW, seed)) {
                double before = groundBrightness(pixels(s, 0));
                double settled = groundBrightness(pixels(s, Scenario.SNOW_FULL_AT + 5));
                double late = groundBrightness(pixels(s, Scenario.LOOP_SECONDS - 1));
                assertThat(settled).as("seed %d", seed).isGreaterThan(before * 1.3);
                assertThat(late).as("seed %d", seed).isGreaterThan(before * 1.3);
            }
        }
    }

    @Test
    void the_dumping_truck_comes_and_goes_and_the_waste_stays() {
        try (StreetScene s = new StreetScene(Scenario.DUMPING, 4)) {
            assertThat(s.truckInView(1)).isFalse();
            assertThat(s.truckInView(Scenario.TRUCK_STOP_AT + 1)).isTrue();
            assertThat(s.pileItems(Scenario.DUMP_START_AT - 0.1)).isZero();
            assertThat(s.pileItems(Scenario.DUMP_END_AT)).isGreaterThan(15);
            assertThat(s.truckInView(Scenario.TRUCK_GONE_AT + 1)).isFalse();
            assertThat(s.pileItems(Scenario.LOOP_SECONDS - 1)).isEqualTo(s.pileItems(Scenario.DUMP_END_AT));
        }
    }

    @Test
    void the_manhole_opens_at_its_time_inside_its_box_and_stays_open() {
        for (long seed = 1; seed <= 8; seed++) {
            try (StreetScene open = new StreetScene(Scenario.OPEN_MANHOLE, seed);
                 StreetScene clear = new StreetScene(Scenario.CLEAR, seed)) {
                assertThat(pixels(open, 1)).isEqualTo(pixels(clear, 1));
                assertThat(open.incidentBox(1)).isNull();
                for (double t : new double[] {Scenario.MANHOLE_OPEN_AT + 1, Scenario.LOOP_SECONDS - 1}) {
                    int[] box = open.incidentBox(t);
                    assertThat(box).as("seed %d t %s", seed, t).isNotNull();
                    byte[] a = pixels(open, t);
                    byte[] b = pixels(clear, t);
                    int changed = 0;
                    for (int y = box[1]; y < box[1] + box[3]; y++) {
                        for (int x = box[0]; x < box[0] + box[2]; x++) {
                            int i = (y * StreetScene.WIDTH + x) * 3;
                            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)) + Math.abs((a[i + 1] & 0xFF) - (b[i + 1] & 0xFF))
                                    + Math.abs((a[i + 2] & 0xFF) - (b[i + 2] & 0xFF));
                            if (d > 30) {
                                changed++;
                            }
                        }
                    }
                    assertThat(changed).as("seed %d t %s: changed pixels in the box", seed, t)
                            .isGreaterThan(box[2] * box[3] / 6);
                }
            }
        }
    }
}

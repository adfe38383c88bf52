package kz.ikomek.vision.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoxTest {

    @Test
    void with_context_adds_its_share_of_the_box_on_each_side() {
        assertThat(new Box(100, 50, 40, 20).withContext(0.5, 640, 360)).isEqualTo(new Box(80, 40, 80, 40));
    }

    @Test
    void with_context_stops_at_the_frame_edges() {
        assertThat(new Box(5, 340, 40, 20).withContext(0.5, 640, 360)).isEqualTo(new Box(0, 330, 65, 30));
    }
}

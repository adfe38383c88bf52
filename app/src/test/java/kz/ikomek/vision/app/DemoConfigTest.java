package kz.ikomek.vision.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.config.VisionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoConfigTest {

    @TempDir
    Path dir;

    VisionConfig load() throws Exception {
        String yaml = DemoCommand.demoYaml("rtsp://127.0.0.1:8554", "http://127.0.0.1:8099/open311/v2/", dir, 8080);
        return ConfigLoader.loadYaml(yaml, dir);
    }

    @Test
    void the_demo_city_is_a_valid_config_with_one_camera_per_simulated_scenario() throws Exception {
        VisionConfig config = load();
        assertThat(config.cameras()).hasSize(DemoCommand.SCENARIOS.length);
        assertThat(config.cameras().get(6).url()).isEqualTo("rtsp://127.0.0.1:8554/cam-7");
        assertThat(config.activeDetectors()).containsExactlyInAnyOrder(IncidentType.values());
        assertThat(config.delivery().open311()).isPresent();
        assertThat(config.storage().dir()).isEqualTo(dir);
    }

    @Test
    void the_two_flood_cameras_on_one_crossing_are_within_the_merge_radius() throws Exception {
        VisionConfig config = load();
        GeoPoint a = config.cameras().get(0).location().point();
        GeoPoint b = config.cameras().get(1).location().point();
        assertThat(DemoCommand.SCENARIOS[0]).isEqualTo(DemoCommand.SCENARIOS[1]);
        assertThat(a.metersTo(b)).isLessThan(config.incidents().mergeRadiusMeters());
        // and no other pair is: each other camera is its own place
        for (int i = 2; i < config.cameras().size(); i++) {
            for (int j = 0; j < i; j++) {
                assertThat(config.cameras().get(i).location().point().metersTo(config.cameras().get(j).location().point()))
                        .as("cameras %d and %d", i + 1, j + 1)
                        .isGreaterThan(config.incidents().mergeRadiusMeters());
            }
        }
    }
}

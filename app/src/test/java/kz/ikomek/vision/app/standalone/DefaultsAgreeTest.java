package kz.ikomek.vision.app.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.detectors.schedule.DetectorSchedule;
import kz.ikomek.vision.detectors.track.TrackerPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config fills every detector's cadence, season and tracker from its declared defaults, and the detectors keep
 * theirs for callers without a config (detect, tests): the two must say the same, or `run` would behave unlike the
 * documentation of either.
 */
class DefaultsAgreeTest {

    @TempDir
    Path dir;

    @Test
    void a_config_without_a_detectors_section_runs_the_detectors_own_defaults() {
        VisionConfig config = ConfigLoader.loadYaml("""
                cameras:
                  - id: cam-1
                    url: rtsp://127.0.0.1:8554/cam-1
                    location: { lat: 51.1, lon: 71.4, address: "Turan Ave 1" }
                    zones: road
                """, dir);
        assertThat(ConfigMapping.trackerPolicies(config)).isEqualTo(TrackerPolicy.defaults());
        assertThat(ConfigMapping.schedules(config)).isEqualTo(DetectorSchedule.defaults());
    }
}

package kz.ikomek.vision.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraRecordsTest {

    @Test
    void a_camera_survives_the_round_trip_through_json() {
        VisionConfig c = ConfigLoader.load(Path.of("../examples/astana.yaml"), Map.of("CAM_PASSWORD", "p@ss"));
        for (CameraConfig camera : c.cameras()) {
            assertThat(CameraRecords.fromJson(CameraRecords.toJson(camera), "t")).isEqualTo(camera);
        }
    }

    @Test
    void a_bad_record_is_rejected_with_every_problem_under_its_name() {
        String json = "{\"id\": \"cam-9\", \"url\": \"ftp://h/x\", \"location\": {\"lat\": 95, \"lon\": 71, \"address\": \"x\"},"
                + " \"zones\": [{\"id\": \"z\", \"polygon\": [[0, 0], [1, 1]]}]}";
        assertThatThrownBy(() -> CameraRecords.fromJson(json, "ikomek.cameras.v1[cam-9]"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("ikomek.cameras.v1[cam-9].url", "ikomek.cameras.v1[cam-9].location.lat",
                                "ikomek.cameras.v1[cam-9].zones[0].polygon"));
    }

    @Test
    void a_record_is_data_so_dollar_signs_stay_as_they_are() {
        CameraConfig camera = new CameraConfig("cam-1", "rtsp://u:pa${ss}@h/sub", java.util.Optional.empty(), CameraConfig.Transport.UDP,
                new Location(51.1, 71.4, "Turan Ave 37", java.util.Optional.empty()),
                ConfigLoader.loadYaml(ConfigFixtures.CAMERA, Path.of("/"), Map.of()).cameras().get(0).zones());
        assertThat(CameraRecords.fromJson(CameraRecords.toJson(camera), "t").url()).isEqualTo("rtsp://u:pa${ss}@h/sub");
    }

    @Test
    void broken_json_is_named() {
        assertThatThrownBy(() -> CameraRecords.fromJson("{\"id\": ", "rec"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .extracting(Problem::path).isEqualTo("rec"));
    }
}

package kz.ikomek.vision.config;

import static kz.ikomek.vision.config.ConfigFixtures.CAMERA;
import static kz.ikomek.vision.config.ConfigFixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Month;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void the_astana_example_is_valid() {
        VisionConfig c = ConfigLoader.load(Path.of("../examples/astana.yaml"), Map.of());
        assertThat(c.cameras()).hasSize(5);
        assertThat(c.zoneCount()).isEqualTo(8);
        assertThat(c.activeDetectors()).containsExactlyInAnyOrder(IncidentType.values());
        CameraConfig first = c.cameras().get(0);
        assertThat(first.location().address()).isEqualTo("Kabanbay Batyr Ave 53");
        assertThat(first.url()).isEqualTo("rtsp://viewer:viewer@10.20.1.11:554/Streaming/Channels/101");
        assertThat(first.analyticsUrl()).endsWith("/Channels/102");
        assertThat(first.transport()).isEqualTo(CameraConfig.Transport.TCP);
        assertThat(first.zones()).extracting(ZoneConfig::id).containsExactly("road", "sidewalk");
    }

    @Test
    void the_registry_example_loads_twenty_cameras_from_csv() {
        VisionConfig c = ConfigLoader.load(Path.of("../examples/astana-registry.yaml"), Map.of());
        assertThat(c.cameras()).hasSize(20);
        assertThat(c.camera("cam-0103").orElseThrow().location().address())
                .isEqualTo("Kabanbay Batyr Ave 53, Nazarbayev University");
    }

    @Test
    void every_default_is_filled_in() {
        VisionConfig c = load(CAMERA);
        assertThat(c.storage().dir()).isEqualTo(Path.of("/base/data"));
        assertThat(c.storage().retention()).isEqualTo(new StorageConfig.EvidenceRetention(30, 20_000_000_000L));
        assertThat(c.detector(IncidentType.SNOW).cadence()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.detector(IncidentType.SNOW).months()).containsExactly(1, 2, 3, 4, 10, 11, 12);
        assertThat(c.detector(IncidentType.SNOW).inSeason(Month.JULY)).isFalse();
        assertThat(c.detector(IncidentType.FLOOD).cadence()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.detector(IncidentType.FLOOD).months()).hasSize(12);
        assertThat(c.detector(IncidentType.OPEN_MANHOLE).cadence()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.detector(IncidentType.DUMPING).cadence()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.detector(IncidentType.DUMPING).threshold()).isEmpty();
        assertThat(c.detector(IncidentType.FLOOD).tracker())
                .isEqualTo(new DetectorSettings.TrackerSettings(4, 5, Duration.ofMinutes(1), Duration.ofMinutes(10)));
        assertThat(c.incidents().mergeRadiusMeters()).isEqualTo(30.0);
        assertThat(c.incidents().cooldown()).isEqualTo(Duration.ofHours(6));
        assertThat(c.incidents().rejectSuppression()).isEqualTo(Duration.ofHours(24));
        assertThat(c.console().host()).isEqualTo("127.0.0.1");
        assertThat(c.console().port()).isEqualTo(8080);
        assertThat(c.console().users()).isEmpty();
        assertThat(c.console().sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.console().secureCookies()).isFalse();
        assertThat(c.delivery().kafka()).isEmpty();
        assertThat(c.delivery().open311()).isEmpty();
        assertThat(c.cluster()).isEmpty();
        assertThat(c.models().dir()).isEmpty();
    }

    @Test
    void a_camera_without_zones_watches_the_full_frame_with_every_detector() {
        VisionConfig c = load("""
                cameras:
                  - id: cam-1
                    url: file:///videos/street.mp4
                    location: { lat: 51.1, lon: 71.4, address: "Kenesary St 40" }
                """);
        ZoneConfig frame = c.cameras().get(0).zones().get(0);
        assertThat(frame.id()).isEqualTo("frame");
        assertThat(frame.detectors()).containsExactly(IncidentType.values());
        assertThat(frame.contains(0.5, 0.5)).isTrue();
    }

    @Test
    void every_key_of_design_md_is_read() {
        VisionConfig c = load(CAMERA + """
                storage: { dir: /var/lib/ikomek, retention: { days: 7, maxBytes: 500MiB } }
                detectors:
                  snow: { cadence: 10m, months: [11, 12, 1], threshold: 0.7, tracker: { k: 4, n: 6 } }
                  dumping: { enabled: false }
                incidents: { mergeRadiusMeters: 45.5, cooldown: 2d, rejectSuppression: 1h30m }
                delivery:
                  kafka: { bootstrap: "k1:9092,k2:9092", topic: incidents }
                  open311: { endpoint: https://cases.astana.kz/open311, apiKey: "${KEY}", submit: detected,
                             serviceCodes: { snow: snow-2 }, maxAttempts: 3, timeout: 500ms,
                             dispatchOnAccept: false, mediaBaseUrl: "https://vision.astana.kz/api/incidents" }
                console:
                  host: 0.0.0.0
                  port: 9090
                  users:
                    - { username: ivan, role: police, passwordHash: "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW" }
                    - { username: aigul, role: utility, service: storm-drain,
                        passwordHash: "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW" }
                  sessionIdle: 15m
                  secureCookies: true
                  extraOrigins: ["https://vision.astana.kz"]
                  usersFile: users.json
                cluster: { kafka: 127.0.0.1:9092 }
                models: { dir: models }
                """, Map.of("KEY", "s3cret"));
        assertThat(c.storage().dir()).isEqualTo(Path.of("/var/lib/ikomek"));
        assertThat(c.storage().retention().maxBytes()).isEqualTo(500L << 20);
        DetectorSettings snow = c.detector(IncidentType.SNOW);
        assertThat(snow.cadence()).isEqualTo(Duration.ofMinutes(10));
        assertThat(snow.months()).containsExactly(1, 11, 12);
        assertThat(snow.threshold()).hasValue(0.7);
        assertThat(snow.tracker().k()).isEqualTo(4);
        assertThat(snow.tracker().minDuration()).isEqualTo(Duration.ofMinutes(5));   // not given: the default
        assertThat(c.detector(IncidentType.DUMPING).enabled()).isFalse();
        assertThat(c.activeDetectors()).containsExactly(IncidentType.SNOW, IncidentType.FLOOD);
        assertThat(c.incidents().mergeRadiusMeters()).isEqualTo(45.5);
        assertThat(c.incidents().cooldown()).isEqualTo(Duration.ofDays(2));
        assertThat(c.incidents().rejectSuppression()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.delivery().kafka().orElseThrow()).isEqualTo(new DeliveryConfig.Kafka("k1:9092,k2:9092", "incidents"));
        DeliveryConfig.Open311 o = c.delivery().open311().orElseThrow();
        assertThat(o.apiKey().orElseThrow().reveal()).isEqualTo("s3cret");
        assertThat(o.submit()).isEqualTo(DeliveryConfig.Submit.DETECTED);
        assertThat(o.serviceCodes()).containsEntry(IncidentType.SNOW, "snow-2")
                .containsEntry(IncidentType.OPEN_MANHOLE, "manhole");
        assertThat(o.maxAttempts()).isEqualTo(3);
        assertThat(o.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.dispatchOnAccept()).isFalse();
        assertThat(o.mediaBaseUrl()).hasValue("https://vision.astana.kz/api/incidents");
        assertThat(o.toString()).doesNotContain("s3cret");
        assertThat(c.console().port()).isEqualTo(9090);
        assertThat(c.console().users().get(0).role()).isEqualTo(ConsoleConfig.Role.POLICE);
        assertThat(c.console().users().get(0).service()).isEmpty();
        assertThat(c.console().users().get(1).service()).hasValue("storm-drain");
        assertThat(c.console().sessionIdle()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.console().sessionMax()).isEqualTo(Duration.ofHours(12));
        assertThat(c.console().secureCookies()).isTrue();
        assertThat(c.console().extraOrigins()).containsExactly("https://vision.astana.kz");
        assertThat(c.console().usersFile()).hasValue(Path.of("/base/users.json"));
        assertThat(c.cluster().orElseThrow().kafka()).isEqualTo("127.0.0.1:9092");
        assertThat(c.cluster().orElseThrow().group()).isEqualTo("ikomek-vision");
        assertThat(c.models().dir()).hasValue(Path.of("/base/models"));
    }

    @Test
    void environment_variables_are_substituted_with_fallbacks_and_escapes() {
        VisionConfig c = load(CAMERA.replace("rtsp://10.0.0.1:554/sub", "rtsp://viewer:${CAM_PASSWORD}@10.0.0.1/sub")
                + "console: { port: \"${PORT:-8081}\", host: \"${HOST:-127.0.0.1}\" }\n"
                + "delivery: { kafka: { bootstrap: \"k:9092\", topic: \"a$$b\" } }\n", Map.of("CAM_PASSWORD", "p@ss", "HOST", ""));
        assertThat(c.cameras().get(0).url()).isEqualTo("rtsp://viewer:p@ss@10.0.0.1/sub");
        assertThat(c.cameras().get(0).toString()).contains("rtsp://***@10.0.0.1/sub").doesNotContain("p@ss");
        assertThat(c.console().port()).isEqualTo(8081);
        assertThat(c.console().host()).isEqualTo("127.0.0.1");
        assertThat(c.delivery().kafka().orElseThrow().topic()).isEqualTo("a$b");
    }

    @Test
    void an_empty_optional_secret_from_an_unset_variable_is_unset() {
        VisionConfig c = load(CAMERA + "delivery: { open311: { endpoint: http://h/, apiKey: \"${KEY:-}\" } }\n");
        assertThat(c.delivery().open311().orElseThrow().apiKey()).isEmpty();
    }

    @Test
    void yaml_anchors_and_merge_keys_work() {
        VisionConfig c = load("""
                cameras:
                  - &base
                    id: cam-1
                    url: rtsp://10.0.0.1/sub
                    location: { lat: 51.1, lon: 71.4, address: "Turan Ave 37" }
                  - <<: *base
                    id: cam-2
                """);
        assertThat(c.cameras()).extracting(CameraConfig::id).containsExactly("cam-1", "cam-2");
        assertThat(c.cameras().get(1).location().address()).isEqualTo("Turan Ave 37");
    }

    @Test
    void a_zone_preset_is_shared_by_name() {
        VisionConfig c = load("""
                zonePresets:
                  crossing:
                    - { id: a, polygon: [[0, 0], [1, 0], [1, 1]], detectors: [flood] }
                    - { id: b, polygon: [[0, 0], [1, 1], [0, 1]] }
                cameras:
                  - { id: c1, url: "rtsp://h/1", location: { lat: 1, lon: 2, address: x }, zones: crossing }
                  - { id: c2, url: "rtsp://h/2", location: { lat: 1, lon: 2, address: x }, zones: road }
                """);
        assertThat(c.cameras().get(0).zones()).extracting(ZoneConfig::id).containsExactly("a", "b");
        assertThat(c.cameras().get(0).zones().get(0).detectors()).containsExactly(IncidentType.FLOOD);
        assertThat(c.cameras().get(1).zones().get(0).polygon().get(0)).isEqualTo(new ZoneConfig.Point(0.0, 0.55));
    }

    @Test
    void an_empty_camera_list_is_valid_for_cluster_workers() {
        assertThat(load("cameras: []\ncluster: { kafka: k:9092 }\n").cameras()).isEmpty();
    }

    @Test
    void relative_paths_resolve_against_the_config_file(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/vision.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, CAMERA + "storage: { dir: state }\n");
        assertThat(ConfigLoader.load(file, Map.of()).storage().dir()).isEqualTo(dir.resolve("sub/state").toAbsolutePath());
    }

    @Test
    void a_missing_file_is_one_clear_problem(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(new Problem(missing.toString(), "no such file")))
                .isInstanceOf(BadInputException.class);
    }

    @Test
    void the_exception_message_lists_every_problem() {
        ConfigException e = new ConfigException(List.of(new Problem("a", "x", 3), new Problem("b", "y")));
        assertThat(e.getMessage()).isEqualTo("the configuration has 2 problems:\n  a: x (line 3)\n  b: y");
    }
}

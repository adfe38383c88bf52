package kz.ikomek.vision.config;

import static kz.ikomek.vision.config.ConfigFixtures.CAMERA;
import static kz.ikomek.vision.config.ConfigFixtures.cameraWith;
import static kz.ikomek.vision.config.ConfigFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule; each asserts the exact problems, so removing the rule fails it. */
class ValidationRulesTest {

    private static final String URL_LINE = "    url: rtsp://10.0.0.1:554/sub";
    private static final String LOCATION_LINE = "    location: { lat: 51.1282, lon: 71.4307, address: \"Turan Ave 37\" }";
    private static final String POLYGON_LINE = "        polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]]";
    private static final String DETECTORS_LINE = "        detectors: [snow, flood]";

    @Nested
    class Cameras {
        @Test
        void a_camera_needs_an_id() {
            assertThat(problems(cameraWith("  - id: cam-1\n    url:", "  - url:")))
                    .containsExactly("cameras[0].id: missing");
        }

        @Test
        void camera_ids_are_unique() {
            String two = CAMERA + CAMERA.substring(CAMERA.indexOf("  - id"));
            assertThat(problems(two)).containsExactly("cameras[1].id: duplicate camera id 'cam-1' (first at cameras[0])");
        }

        @Test
        void an_id_is_letters_digits_dots_dashes_and_underscores() {
            assertThat(problems(cameraWith("id: cam-1", "id: cam 1/x")))
                    .containsExactly("cameras[0].id: must be 1-64 letters, digits, '.', '_' or '-' "
                            + "(starting with a letter or digit), got 'cam 1/x'");
        }

        @Test
        void cameras_is_required() {
            assertThat(problems("console: { port: 8080 }\n")).containsExactly("cameras: missing");
        }

        @Test
        void cameras_must_be_a_list() {
            assertThat(problems("cameras: cam-1\n")).containsExactly("cameras: expected a list, got 'cam-1'");
        }

        @Test
        void location_is_required_and_reported_once() {
            assertThat(problems(cameraWith(LOCATION_LINE + "\n", ""))).containsExactly("cameras[0].location: missing");
        }

        @Test
        void an_address_is_required() {
            assertThat(problems(cameraWith("address: \"Turan Ave 37\"", "address: \"\"")))
                    .containsExactly("cameras[0].location.address: must not be empty");
        }
    }

    @Nested
    class Urls {
        @Test
        void unsupported_schemes_are_rejected_and_credentials_masked() {
            assertThat(problems(cameraWith(URL_LINE, "    url: ftp://admin:hunter2@10.0.0.1/stream")))
                    .containsExactly("cameras[0].url: unsupported scheme 'ftp' in ftp://***@10.0.0.1/stream; "
                            + "use rtsp, rtsps, http, https, file");
        }

        @Test
        void each_supported_scheme_is_accepted() {
            for (String url : new String[] {"rtsp://h/a", "rtsps://u:p@h:322/a", "http://h:8080/a.mjpg",
                    "https://h/a", "file:///videos/a.mp4", "rtsp://[fe80::1]:554/a"}) {
                ConfigFixtures.load(cameraWith(URL_LINE, "    url: \"" + url + "\""));
            }
        }

        @Test
        void a_url_needs_a_scheme() {
            assertThat(problems(cameraWith(URL_LINE, "    url: 10.0.0.1/stream")))
                    .containsExactly("cameras[0].url: not a URL, expected rtsp://, rtsps://, http://, https://, file://...; "
                            + "got '10.0.0.1/stream'");
        }

        @Test
        void a_url_port_must_be_in_range() {
            assertThat(problems(cameraWith(URL_LINE, "    url: rtsp://viewer:pw@10.0.0.1:99999/sub")))
                    .containsExactly("cameras[0].url: port must be within 1..65535, got 99999 in rtsp://***@10.0.0.1:99999/sub");
        }

        @Test
        void a_url_needs_a_host() {
            assertThat(problems(cameraWith(URL_LINE, "    url: rtsp:///sub")))
                    .containsExactly("cameras[0].url: host is missing in rtsp:///sub");
        }

        @Test
        void a_url_may_not_contain_spaces_and_is_then_not_echoed() {
            assertThat(problems(cameraWith(URL_LINE, "    url: rtsp://u:my pass@h/sub")))
                    .containsExactly("cameras[0].url: URL contains white space; percent-encode it (a space is %20)");
        }

        @Test
        void the_sub_stream_is_checked_too() {
            assertThat(problems(cameraWith(URL_LINE, URL_LINE + "\n    subStream: udp://h/sub")))
                    .containsExactly("cameras[0].subStream: unsupported scheme 'udp' in udp://h/sub; use rtsp, rtsps, http, https, file");
        }

        @Test
        void the_case_system_endpoint_must_be_a_url_the_http_client_takes() {
            assertThat(problems(CAMERA + "delivery: { open311: { endpoint: \"http://u:pw@h/a^b\" } }\n"))
                    .containsExactly("delivery.open311.endpoint: not a valid URL (Illegal character in path): http://***@h/a^b");
        }

        @Test
        void the_media_base_url_must_be_http() {
            assertThat(problems(CAMERA + "delivery: { open311: { endpoint: http://h/, mediaBaseUrl: file:///x } }\n"))
                    .containsExactly("delivery.open311.mediaBaseUrl: unsupported scheme 'file' in file:///x; use http, https");
        }

        @Test
        void the_rtsp_transport_is_tcp_or_udp() {
            assertThat(problems(cameraWith(URL_LINE, URL_LINE + "\n    transport: tpc")))
                    .containsExactly("cameras[0].transport: unknown transport 'tpc', did you mean tcp?");
        }

        @Test
        void the_case_system_endpoint_must_be_http() {
            assertThat(problems(CAMERA + "delivery: { open311: { endpoint: rtsp://h/ } }\n"))
                    .containsExactly("delivery.open311.endpoint: unsupported scheme 'rtsp' in rtsp://h/; use http, https");
        }
    }

    @Nested
    class Locations {
        @Test
        void latitude_must_be_within_90_degrees() {
            assertThat(problems(cameraWith("lat: 51.1282", "lat: 91.5")))
                    .containsExactly("cameras[0].location.lat: must be within -90..90, got 91.5");
        }

        @Test
        void longitude_must_be_within_180_degrees() {
            assertThat(problems(cameraWith("lon: 71.4307", "lon: -181")))
                    .containsExactly("cameras[0].location.lon: must be within -180..180, got -181");
        }

        @Test
        void a_coordinate_must_be_a_number() {
            assertThat(problems(cameraWith("lat: 51.1282", "lat: 51.1N")))
                    .containsExactly("cameras[0].location.lat: expected a number, got '51.1N'");
        }
    }

    @Nested
    class Zones {
        @Test
        void zone_ids_are_unique_within_a_camera() {
            assertThat(problems(CAMERA + "        - id: road\n          polygon: [[0, 0], [1, 0], [1, 1]]\n"
                    .replace("        - id", "      - id").replace("          polygon", "        polygon")))
                    .containsExactly("cameras[0].zones[1].id: duplicate zone id 'road' (first at cameras[0].zones[0])");
        }

        @Test
        void a_polygon_needs_three_points() {
            assertThat(problems(cameraWith(POLYGON_LINE, "        polygon: [[0, 0.5], [1, 0.5]]")))
                    .containsExactly("cameras[0].zones[0].polygon: needs at least 3 points, got 2");
        }

        @Test
        void a_polygon_is_required() {
            assertThat(problems(cameraWith(POLYGON_LINE + "\n", "")))
                    .containsExactly("cameras[0].zones[0].polygon: missing");
        }

        @Test
        void coordinates_are_normalized() {
            assertThat(problems(cameraWith(POLYGON_LINE, "        polygon: [[0, 0.5], [1.4, 0.5], [1, 1], [0, -0.1]]")))
                    .containsExactly("cameras[0].zones[0].polygon[1]: x must be within 0..1 (normalized), got 1.4",
                            "cameras[0].zones[0].polygon[3]: y must be within 0..1 (normalized), got -0.1");
        }

        @Test
        void a_point_is_a_pair() {
            assertThat(problems(cameraWith(POLYGON_LINE, "        polygon: [[0, 0.5], [1, 0.5, 2], [1, 1], 7]")))
                    .containsExactly("cameras[0].zones[0].polygon[1]: expected a point [x, y], got a list",
                            "cameras[0].zones[0].polygon[3]: expected a point [x, y], got '7'");
        }

        @Test
        void edges_may_not_cross() {
            assertThat(problems(cameraWith(POLYGON_LINE, "        polygon: [[0, 0], [1, 1], [1, 0], [0, 1]]")))
                    .containsExactly("cameras[0].zones[0].polygon: edges cross (0->1 and 2->3); "
                            + "list the points in order around the zone");
        }

        @Test
        void a_polygon_needs_an_area() {
            assertThat(problems(cameraWith(POLYGON_LINE, "        polygon: [[0, 0], [0.5, 0.5], [1, 1]]")))
                    .containsExactly("cameras[0].zones[0].polygon: has no area (all points on one line)");
        }

        @Test
        void an_unknown_detector_gets_a_suggestion() {
            assertThat(problems(cameraWith(DETECTORS_LINE, "        detectors: [snow, open_manhol]")))
                    .containsExactly("cameras[0].zones[0].detectors[1]: unknown detector 'open_manhol', did you mean open_manhole?");
        }

        @Test
        void an_unknown_detector_far_from_any_lists_them() {
            assertThat(problems(cameraWith(DETECTORS_LINE, "        detectors: [graffiti]")))
                    .containsExactly("cameras[0].zones[0].detectors[0]: unknown detector 'graffiti', "
                            + "expected one of snow, flood, open_manhole, dumping");
        }

        @Test
        void an_empty_detector_list_is_a_mistake() {
            assertThat(problems(cameraWith(DETECTORS_LINE, "        detectors: []")))
                    .containsExactly("cameras[0].zones[0].detectors: lists no detectors; leave the key out to watch with all of them");
        }

        @Test
        void an_unknown_zone_preset_gets_a_suggestion() {
            String yaml = CAMERA.substring(0, CAMERA.indexOf("    zones:")) + "    zones: raod\n";
            assertThat(problems(yaml)).containsExactly("cameras[0].zones: unknown zone preset 'raod', did you mean road?");
        }

        @Test
        void zone_presets_are_validated_where_they_are_defined() {
            assertThat(problems(CAMERA + "zonePresets:\n  lane: [{ id: a, polygon: [[0, 0], [1, 1]] }]\n"))
                    .containsExactly("zonePresets.lane[0].polygon: needs at least 3 points, got 2");
        }
    }

    @Nested
    class Detectors {
        @Test
        void a_duration_needs_a_unit() {
            assertThat(problems(CAMERA + "detectors: { flood: { cadence: 30 } }\n"))
                    .containsExactly("detectors.flood.cadence: expected a duration like 500ms, 30s, 5m, 6h or 2d, got '30'");
        }

        @Test
        void a_cadence_is_at_least_100ms() {
            assertThat(problems(CAMERA + "detectors: { dumping: { cadence: 10ms } }\n"))
                    .containsExactly("detectors.dumping.cadence: must be at least 100ms, got 10ms");
        }

        @Test
        void months_are_1_to_12() {
            assertThat(problems(CAMERA + "detectors: { snow: { months: [10, 11, 13, 0] } }\n"))
                    .containsExactly("detectors.snow.months[2]: must be within 1..12, got 13",
                            "detectors.snow.months[3]: must be within 1..12, got 0");
        }

        @Test
        void months_are_numbers() {
            assertThat(problems(CAMERA + "detectors: { snow: { months: [december] } }\n"))
                    .containsExactly("detectors.snow.months[0]: expected an integer, got 'december'");
        }

        @Test
        void a_season_has_at_least_one_month() {
            assertThat(problems(CAMERA + "detectors: { snow: { months: [] } }\n"))
                    .containsExactly("detectors.snow.months: must name at least one month (1..12)");
        }

        @Test
        void a_threshold_is_a_score_0_to_1() {
            assertThat(problems(CAMERA + "detectors: { flood: { threshold: 1.5 } }\n"))
                    .containsExactly("detectors.flood.threshold: must be within 0..1, got 1.5");
        }

        @Test
        void tracker_k_cannot_exceed_n() {
            assertThat(problems(CAMERA + "detectors: { flood: { tracker: { k: 7, n: 5 } } }\n"))
                    .containsExactly("detectors.flood.tracker.k: must not exceed n (5), got 7");
        }

        @Test
        void a_tracker_clears_after_at_least_a_second() {
            assertThat(problems(CAMERA + "detectors: { flood: { tracker: { clearDuration: 500ms } } }\n"))
                    .containsExactly("detectors.flood.tracker.clearDuration: must be at least 1s, got 500ms");
        }

        @Test
        void an_unknown_detector_section_gets_a_suggestion() {
            assertThat(problems(CAMERA + "detectors: { snw: { cadence: 5m } }\n"))
                    .containsExactly("detectors.snw: unknown detector 'snw', did you mean snow?");
        }

        @Test
        void enabled_is_a_boolean() {
            assertThat(problems(CAMERA + "detectors: { snow: { enabled: maybe } }\n"))
                    .containsExactly("detectors.snow.enabled: expected true or false, got 'maybe'");
        }
    }

    @Nested
    class Keys {
        @Test
        void an_unknown_key_gets_a_suggestion_and_the_misspelled_key_is_not_also_missing() {
            assertThat(problems(cameraWith("    location:", "    locaton:")))
                    .containsExactly("cameras[0].locaton: unknown key 'locaton', did you mean location?");
        }

        @Test
        void an_unknown_key_far_from_any_lists_the_keys() {
            assertThat(problems(CAMERA + "incidents: { colour: red }\n"))
                    .containsExactly("incidents.colour: unknown key 'colour', expected one of mergeRadiusMeters, "
                            + "cooldown, rejectSuppression, dumpingMergeWindow");
        }

        @Test
        void a_top_level_typo_is_caught() {
            assertThat(problems(CAMERA + "consle: { port: 8080 }\n"))
                    .containsExactly("consle: unknown key 'consle', did you mean console?");
        }

        @Test
        void a_key_may_appear_once() {
            assertThat(problems(cameraWith(URL_LINE, URL_LINE + "\n" + URL_LINE)))
                    .containsExactly("cameras[0].url: duplicate key (also on line 3)");
        }

        @Test
        void a_section_must_be_a_mapping() {
            assertThat(problems(CAMERA + "console: 8080\n"))
                    .containsExactly("console: expected a mapping of keys, got '8080'");
        }

        @Test
        void a_value_must_not_be_a_list() {
            assertThat(problems(CAMERA + "incidents: { cooldown: [6h] }\n"))
                    .containsExactly("incidents.cooldown: expected a duration, got a list");
        }

        @Test
        void the_document_must_be_a_mapping() {
            assertThat(problems("- a\n- b\n")).containsExactly("(top level): expected a mapping of keys, got a list",
                    "cameras: missing");
        }
    }

    @Nested
    class Ports {
        @Test
        void the_console_port_is_1_to_65535() {
            assertThat(problems(CAMERA + "console: { port: 80800 }\n"))
                    .containsExactly("console.port: must be within 1..65535, got 80800");
        }

        @Test
        void a_port_is_an_integer() {
            assertThat(problems(CAMERA + "console: { port: http }\n"))
                    .containsExactly("console.port: expected an integer, got 'http'");
        }

        @Test
        void the_console_host_is_a_host_name() {
            assertThat(problems(CAMERA + "console: { host: \"my host\" }\n"))
                    .containsExactly("console.host: not a valid host name: 'my host'");
        }

        @Test
        void the_console_may_listen_on_every_ipv6_address() {
            assertThat(ConfigFixtures.load(CAMERA + "console: { host: \"::\" }\n").console().host()).isEqualTo("::");
        }

        @Test
        void kafka_bootstrap_servers_need_a_port_in_range() {
            assertThat(problems(CAMERA + "delivery: { kafka: { bootstrap: \"k1:9092,k2\" } }\ncluster: { kafka: \"k:0\" }\n"))
                    .containsExactly("delivery.kafka.bootstrap: expected host:port, got 'k2'",
                            "cluster.kafka: port must be within 1..65535, got 0");
        }

        @Test
        void cluster_properties_are_kafka_client_settings_the_worker_does_not_own() {
            assertThat(problems(CAMERA + "cluster:\n  kafka: k:9092\n  partitions: 0\n  properties:\n"
                    + "    security.protocl: SASL_SSL\n    group.id: other\n    sasl.jaas.config: [a, b]\n"))
                    .containsExactly("cluster.partitions: must be within 1..10000, got 0",
                            "cluster.properties.security.protocl: not a Kafka client setting, did you mean security.protocol?",
                            "cluster.properties.group.id: set by the worker itself; name the group as cluster.group",
                            "cluster.properties.sasl.jaas.config: expected a single value");
        }

        @Test
        void cluster_property_values_come_from_the_environment_and_are_never_printed() {
            VisionConfig c = ConfigFixtures.load(CAMERA + "cluster:\n  kafka: k:9092\n  properties:\n"
                    + "    security.protocol: SASL_SSL\n    sasl.jaas.config: \"${KAFKA_JAAS}\"\n",
                    Map.of("KAFKA_JAAS", "ScramLoginModule required password=\"hunter2\";"));
            ClusterConfig cluster = c.cluster().orElseThrow();
            assertThat(cluster.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.jaas.config", "ScramLoginModule required password=\"hunter2\";");
            assertThat(cluster.toString()).doesNotContain("hunter2");
            assertThat(cluster.group()).isEqualTo("ikomek-vision");
            assertThat(cluster.partitions()).isEqualTo(60);
        }
    }

    @Nested
    class DeliveryAndConsole {
        @Test
        void submit_is_confirmed_or_detected() {
            assertThat(problems(CAMERA + "delivery: { open311: { endpoint: http://h/, submit: confirm } }\n"))
                    .containsExactly("delivery.open311.submit: unknown submit policy 'confirm', did you mean confirmed?");
        }

        @Test
        void a_user_role_is_one_of_the_four() {
            assertThat(problems(CAMERA + "console: { users: [{ username: a, role: polise, passwordHash: "
                    + "\"$2a$10$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW\" }] }\n"))
                    .containsExactly("console.users[0].role: unknown role 'polise', did you mean police?");
        }

        @Test
        void a_utility_user_needs_a_service() {
            assertThat(problems(CAMERA + "console: { users: [{ username: water, role: utility, passwordHash: "
                    + "\"$2a$10$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW\" }] }\n"))
                    .containsExactly("console.users[0].service: a utility user needs the service code they work for, "
                            + "e.g. snow-removal");
        }

        @Test
        void extra_origins_are_http_urls() {
            assertThat(problems(CAMERA + "console: { extraOrigins: [\"https://vision.astana.kz\", \"vision.astana.kz\"] }\n"))
                    .containsExactly("console.extraOrigins[1]: not a URL, expected http://, https://...; got 'vision.astana.kz'");
        }

        @Test
        void user_names_are_unique() {
            String user = "{ username: a, role: admin, passwordHash: \"$2a$10$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW\" }";
            assertThat(problems(CAMERA + "console: { users: [" + user + ", " + user + "] }\n"))
                    .containsExactly("console.users[1].username: duplicate user 'a' (first at console.users[0])");
        }

        @Test
        void a_password_hash_must_be_bcrypt_and_is_never_echoed() {
            assertThat(problems(CAMERA + "console: { users: [{ username: a, role: admin, passwordHash: hunter2 }] }\n"))
                    .containsExactly("console.users[0].passwordHash: must be a bcrypt hash ($2a$, $2b$ or $2y$, "
                            + "60 characters; make one with `ikomek-vision user`)");
        }

        @Test
        void a_size_needs_a_known_unit() {
            assertThat(problems(CAMERA + "storage: { retention: { maxBytes: 20 gigs } }\n"))
                    .containsExactly("storage.retention.maxBytes: expected a size like 500MB or 20GB, got '20 gigs'");
        }

        @Test
        void evidence_may_not_be_capped_at_nothing() {
            assertThat(problems(CAMERA + "storage: { retention: { maxBytes: 0GB } }\n"))
                    .containsExactly("storage.retention.maxBytes: must be more than 0");
        }

        @Test
        void a_cooldown_is_at_least_a_second() {
            assertThat(problems(CAMERA + "incidents: { cooldown: 0s }\n"))
                    .containsExactly("incidents.cooldown: must be at least 1s, got 0s");
        }

        @Test
        void a_merge_radius_is_not_negative() {
            assertThat(problems(CAMERA + "incidents: { mergeRadiusMeters: -5 }\n"))
                    .containsExactly("incidents.mergeRadiusMeters: must be within 0..10000, got -5");
        }
    }

    @Nested
    class Environment {
        @Test
        void an_unset_variable_is_named() {
            assertThat(problems(cameraWith(URL_LINE, "    url: rtsp://viewer:${CAM_PASSWORD}@10.0.0.1/sub")))
                    .containsExactly("cameras[0].url: environment variable CAM_PASSWORD is not set "
                            + "(set it, or write ${CAM_PASSWORD:-default})");
        }

        @Test
        void a_malformed_reference_is_reported() {
            assertThat(problems(cameraWith(URL_LINE, "    url: rtsp://viewer:${CAM-PASSWORD}@10.0.0.1/sub")))
                    .containsExactly("cameras[0].url: '${CAM-PASSWORD}' is not a valid environment variable name");
        }

        @Test
        void a_substituted_password_never_appears_in_a_message() {
            assertThat(problems(cameraWith(URL_LINE, "    url: ftp://viewer:${CAM_PASSWORD}@10.0.0.1/sub"),
                    Map.of("CAM_PASSWORD", "hunter2"), Path.of("/base")))
                    .singleElement().asString().doesNotContain("hunter2").contains("ftp://***@10.0.0.1/sub");
        }
    }

    @Nested
    class Syntax {
        @Test
        void a_yaml_syntax_error_has_line_and_column() {
            assertThat(problems("cameras:\n  - id: cam-1\n    url: [rtsp://h/a\n"))
                    .containsExactly("(config):4:1: YAML syntax error: expected ',' or ']', but got <stream end> "
                            + "(while parsing a flow sequence)");
        }

        @Test
        void a_bad_indent_is_a_syntax_error_with_its_position() {
            assertThat(problems("cameras:\n  - id: cam-1\n   url: rtsp://h/a\n"))
                    .singleElement().asString().startsWith("(config):3:").contains("YAML syntax error");
        }

        @Test
        void a_second_document_is_a_mistake() {
            assertThat(problems("cameras: []\n---\nconsole: {}\n"))
                    .containsExactly("(config):2:1: YAML syntax error: but found another document "
                            + "(expected a single document in the stream)");
        }

        @Test
        void a_binary_file_is_not_yaml(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("model.onnx");
            Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
            assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOfSatisfying(ConfigException.class,
                    e -> assertThat(e.problems()).containsExactly(
                            new Problem(file.toString(), "not UTF-8 text (is this the right file?)")));
        }

        @Test
        void an_alias_bomb_is_refused_before_it_is_walked() {
            StringBuilder yaml = new StringBuilder("a0: &a0 [x, x]\n");
            for (int i = 1; i <= 60; i++) {
                yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                        .append(i - 1).append("]\n");
            }
            assertThat(problems(yaml.toString())).singleElement().asString()
                    .startsWith("(config): cannot read YAML: Number of aliases for non-scalar nodes exceeds the specified max=100");
        }

        @Test
        void a_syntax_error_does_not_quote_the_line() {
            assertThatThrownBy(() -> ConfigFixtures.load("cameras:\n  - url: rtsp://u:hunter2@h/a: b: c\n"))
                    .isInstanceOf(ConfigException.class).message().doesNotContain("hunter2");
        }
    }
}

package kz.ikomek.vision.config;

import static kz.ikomek.vision.config.ConfigFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraCsvTest {
    private static final String HEADER = "id,url,lat,lon,address,zones\n";
    private static final String REGISTRY = "cameras: { csv: cameras.csv }\n";

    @TempDir
    Path dir;

    private void csv(String content) throws IOException {
        Files.writeString(dir.resolve("cameras.csv"), content, StandardCharsets.UTF_8);
    }

    /** Row i (1-based) of a generated registry: cameras spread over Astana, alternating presets. */
    static String row(int i) {
        double lat = 51.05 + (i % 200) * 0.0007;
        double lon = 71.30 + (i / 200) * 0.004;
        return String.format(Locale.ROOT, "cam-%05d,rtsp://viewer:${CAM_PASSWORD:-viewer}@10.%d.%d.%d:554/sub,%.5f,%.5f,"
                + "\"Kabanbay Batyr Ave %d, entrance %d\",%s%n", i, i / 65536, (i / 256) % 256, i % 256, lat, lon,
                i, i % 4, i % 2 == 0 ? "road" : "full-frame");
    }

    static String generated(int rows) {
        StringBuilder b = new StringBuilder(HEADER);
        for (int i = 1; i <= rows; i++) {
            b.append(row(i));
        }
        return b.toString();
    }

    @Test
    void twelve_thousand_generated_cameras_load_with_their_values() throws IOException {
        csv(generated(12_000));
        VisionConfig c = ConfigLoader.loadYaml(REGISTRY, dir, Map.of());
        assertThat(c.cameras()).hasSize(12_000);
        assertThat(c.zoneCount()).isEqualTo(12_000);
        CameraConfig last = c.cameras().get(11_999);
        assertThat(last.id()).isEqualTo("cam-12000");
        assertThat(last.url()).isEqualTo("rtsp://viewer:viewer@10.0.46.224:554/sub");
        assertThat(last.location().lat()).isEqualTo(51.05 + (12_000 % 200) * 0.0007, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(last.location().lon()).isEqualTo(71.30 + 60 * 0.004, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(last.location().address()).isEqualTo("Kabanbay Batyr Ave 12000, entrance 0");
        assertThat(last.zones()).extracting(ZoneConfig::id).containsExactly("road");
        assertThat(c.cameras().get(0).zones()).extracting(ZoneConfig::id).containsExactly("frame");
        assertThat(c.cameras().stream().map(CameraConfig::id).collect(java.util.stream.Collectors.toSet())).hasSize(12_000);
    }

    @Test
    void a_bad_cell_deep_in_a_registry_names_the_line_and_column() throws IOException {
        String content = generated(1_300);
        String bad = row(1206);
        content = content.replace(bad, bad.replace(String.format(Locale.ROOT, "%.5f", 51.05 + (1206 % 200) * 0.0007), "191.2"));
        csv(content);
        assertThat(problems(REGISTRY, Map.of(), dir))
                .containsExactly("cameras.csv:1207: lat: must be within -90..90, got 191.2");
    }

    @Test
    void every_column_is_checked_and_every_row_reported() throws IOException {
        csv(HEADER
                + "cam-1,rtsp://a:pw@10.0.0.1/sub,51.1,71.4,Turan Ave 37,road\n"
                + "cam-2,ftp://a:pw@10.0.0.2/sub,51.1,71.4,Turan Ave 38,road\n"
                + "cam-3,rtsp://10.0.0.3/sub,51.1,271.4,Turan Ave 39,road\n"
                + "cam-1,rtsp://10.0.0.4/sub,51.1,71.4,Turan Ave 40,road\n"
                + "cam-5,rtsp://10.0.0.5/sub,51.1,71.4,,raod\n"
                + ",rtsp://10.0.0.6/sub,abc,71.4,Turan Ave 42,road\n"
                + "cam-7,rtsp://10.0.0.7/sub,51.1,71.4\n");
        assertThat(problems(REGISTRY, Map.of(), dir)).containsExactly(
                "cameras.csv:3: url: unsupported scheme 'ftp' in ftp://***@10.0.0.2/sub; use rtsp, rtsps, http, https, file",
                "cameras.csv:4: lon: must be within -180..180, got 271.4",
                "cameras.csv:6: address: missing",
                "cameras.csv:6: zones: unknown zone preset 'raod', did you mean road?",
                "cameras.csv:7: id: missing",
                "cameras.csv:7: lat: expected a number, got 'abc'",
                "cameras.csv:8: expected 6 fields, got 4 (quote values that contain commas)",
                "cameras.csv:5: id: duplicate camera id 'cam-1' (first at cameras.csv:2)");
    }

    @Test
    void quoted_values_may_hold_commas_quotes_and_newlines() throws IOException {
        csv(HEADER + "cam-1,rtsp://h/1,51.1,71.4,\"Kenesary St 40, \"\"Old Town\"\"\nentrance 2\",road\r\n"
                + "cam-2,rtsp://h/2,51.2,71.5,Abay Ave 33,\n");
        VisionConfig c = ConfigLoader.loadYaml(REGISTRY, dir, Map.of());
        assertThat(c.cameras().get(0).location().address()).isEqualTo("Kenesary St 40, \"Old Town\"\nentrance 2");
        assertThat(c.cameras().get(1).zones()).extracting(ZoneConfig::id).containsExactly("frame");
    }

    @Test
    void a_row_after_a_multi_line_value_reports_its_own_line() throws IOException {
        csv(HEADER + "cam-1,rtsp://h/1,51.1,71.4,\"two\nlines\",road\ncam-2,rtsp://h/2,95,71.5,x,road\n");
        assertThat(problems(REGISTRY, Map.of(), dir)).containsExactly("cameras.csv:4: lat: must be within -90..90, got 95");
    }

    @Test
    void optional_columns_in_any_order_and_user_presets_work() throws IOException {
        csv("zones,district,id,subStream,address,lon,lat,url,transport\n"
                + "street,Yesil,cam-1,rtsp://h/sub,Turan Ave 37,71.4,51.1,rtsp://h/main,udp\n");
        VisionConfig c = ConfigLoader.loadYaml(REGISTRY + "zonePresets: { street: [{ id: lane, polygon: [[0, 0], [1, 0], [1, 1]] }] }\n",
                dir, Map.of());
        CameraConfig cam = c.cameras().get(0);
        assertThat(cam.analyticsUrl()).isEqualTo("rtsp://h/sub");
        assertThat(cam.url()).isEqualTo("rtsp://h/main");
        assertThat(cam.location().district()).hasValue("Yesil");
        assertThat(cam.transport()).isEqualTo(CameraConfig.Transport.UDP);
        assertThat(cam.zones()).extracting(ZoneConfig::id).containsExactly("lane");
    }

    @Test
    void the_header_is_checked() throws IOException {
        csv("id,url,lat,lonn,adress,zones,id\ncam-1,rtsp://h/1,51.1,71.4,x,road,cam-1\n");
        assertThat(problems(REGISTRY, Map.of(), dir)).containsExactly(
                "cameras.csv:1: header: unknown column 'lonn', did you mean lon?",
                "cameras.csv:1: header: unknown column 'adress', did you mean address?",
                "cameras.csv:1: header: column 'id' appears twice",
                "cameras.csv:1: header: missing column 'lon'",
                "cameras.csv:1: header: missing column 'address'");
    }

    @Test
    void an_unclosed_quote_is_reported() throws IOException {
        csv(HEADER + "cam-1,rtsp://h/1,51.1,71.4,\"Turan Ave 37,road\n");
        assertThat(problems(REGISTRY, Map.of(), dir)).containsExactly(
                "cameras.csv:2: a quoted value is not closed (missing \")",
                "cameras.csv:2: expected 6 fields, got 5 (quote values that contain commas)");
    }

    @Test
    void a_registry_in_a_sub_directory_is_named_by_its_relative_path() throws IOException {
        Files.createDirectories(dir.resolve("registry"));
        Files.writeString(dir.resolve("registry/astana.csv"), HEADER + "cam-1,rtsp://h/1,51.1,-200,x,road\n");
        assertThat(problems("cameras: { csv: registry/astana.csv }\n", Map.of(), dir))
                .containsExactly("registry/astana.csv:2: lon: must be within -180..180, got -200");
    }

    @Test
    void a_missing_registry_names_the_file() {
        assertThat(problems(REGISTRY, Map.of(), dir))
                .containsExactly("cameras.csv: camera registry not found: " + dir.toAbsolutePath().resolve("cameras.csv"));
    }

    @Test
    void an_empty_registry_asks_for_the_header() throws IOException {
        csv("");
        assertThat(problems(REGISTRY, Map.of(), dir))
                .containsExactly("cameras.csv:1: empty file; expected the header id,url,lat,lon,address,zones");
    }

    @Test
    void an_unset_variable_in_a_cell_is_named() throws IOException {
        csv(HEADER + "cam-1,rtsp://v:${CAM_PASSWORD}@h/1,51.1,71.4,x,road\n");
        assertThat(problems(REGISTRY, Map.of(), dir)).containsExactly(
                "cameras.csv:2: url: environment variable CAM_PASSWORD is not set (set it, or write ${CAM_PASSWORD:-default})");
    }
}

package kz.ikomek.vision.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenMistakesTest {

    @Test
    void ten_different_mistakes_give_exactly_ten_problems_with_their_paths_and_lines() throws IOException {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/ten-mistakes.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.loadYaml(yaml, Path.of("/base"), Map.of()));
        assertThat(e.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "cameras[0].url: unsupported scheme 'ftp' in ftp://***@10.20.1.11/stream; use rtsp, rtsps, http, https, file (line 4)",
                "cameras[0].location.lat: must be within -90..90, got 91.5 (line 5)",
                "cameras[0].zones[0].polygon: needs at least 3 points, got 2 (line 8)",
                "cameras[0].zones[0].detectors[1]: unknown detector 'open_manhol', did you mean open_manhole? (line 9)",
                "cameras[1].id: duplicate camera id 'cam-0001' (first at cameras[0]) (line 10)",
                "cameras[1].zones[0].polygon: edges cross (0->1 and 2->3); list the points in order around the zone (line 15)",
                "cameras[1].zones[1].polygon[1]: x must be within 0..1 (normalized), got 1.2 (line 17)",
                "detectors.flood.cadence: expected a duration like 500ms, 30s, 5m, 6h or 2d, got '30 seconds' (line 19)",
                "detectors.snow.months[2]: must be within 1..12, got 13 (line 20)",
                "console.prot: unknown key 'prot', did you mean port? (line 21)");
        assertThat(e.getMessage()).startsWith("the configuration has 10 problems:").doesNotContain("hunter2");
    }
}

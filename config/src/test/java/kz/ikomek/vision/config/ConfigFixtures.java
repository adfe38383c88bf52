package kz.ikomek.vision.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A valid base config and helpers that load a variant and return its problems as "path: message". */
public final class ConfigFixtures {
    public static final String CAMERA = """
            cameras:
              - id: cam-1
                url: rtsp://10.0.0.1:554/sub
                location: { lat: 51.1282, lon: 71.4307, address: "Turan Ave 37" }
                zones:
                  - id: road
                    polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]]
                    detectors: [snow, flood]
            """;

    private ConfigFixtures() {
    }

    public static VisionConfig load(String yaml) {
        return ConfigLoader.loadYaml(yaml, Path.of("/base"), Map.of());
    }

    public static VisionConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.loadYaml(yaml, Path.of("/base"), env);
    }

    /** The problems of an invalid config, without line numbers. */
    public static List<String> problems(String yaml) {
        return problems(yaml, Map.of(), Path.of("/base"));
    }

    public static List<String> problems(String yaml, Map<String, String> env, Path baseDir) {
        ConfigException[] caught = new ConfigException[1];
        assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, baseDir, env))
                .isInstanceOfSatisfying(ConfigException.class, e -> caught[0] = e);
        return caught[0].problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    /** The base camera with one line replaced (the test's mistake). */
    public static String cameraWith(String original, String replacement) {
        if (!CAMERA.contains(original)) {
            throw new IllegalArgumentException("fixture has no '" + original + "'");
        }
        return CAMERA.replace(original, replacement);
    }
}

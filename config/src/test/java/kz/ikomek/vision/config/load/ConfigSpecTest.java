package kz.ikomek.vision.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.config.ConfigException;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.Problem;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The spec is what the reference documents; this proves the loader reads and checks every key in
 * it: a config with a wrong value (a nested list) under every key has a problem under every key.
 */
class ConfigSpecTest {

    @Test
    void every_declared_key_is_read_and_checked() {
        List<String> keyPaths = new ArrayList<>();
        Map<String, Object> everyKeyWrong = build(ConfigSpec.ROOT, "", keyPaths);
        String yaml = new Yaml().dump(everyKeyWrong);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.loadYaml(yaml, Path.of("/base"), Map.of()));
        List<String> problemPaths = e.problems().stream().map(Problem::path).toList();
        assertThat(keyPaths).hasSizeGreaterThan(60);
        for (String key : keyPaths) {
            assertThat(problemPaths).as("a problem under %s", key).anyMatch(p -> p.equals(key) || p.startsWith(key + "[")
                    || p.startsWith(key + "."));
        }
    }

    private static Map<String, Object> build(ConfigSpec.Obj obj, String path, List<String> keyPaths) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigSpec.Key k : obj.keys()) {
            String p = path.isEmpty() ? k.name() : path + "." + k.name();
            switch (k.kind()) {
                case VALUE -> {
                    m.put(k.name(), List.of(List.of("wrong")));
                    keyPaths.add(p);
                }
                case SECTION, OPTIONAL_SECTION -> m.put(k.name(), build(k.child(), p, keyPaths));
                case LIST -> m.put(k.name(), List.of(build(k.child(), p + "[0]", keyPaths)));
                case MAP_OF_LISTS -> m.put(k.name(), Map.of("p", List.of(build(k.child(), p + ".p[0]", keyPaths))));
                default -> throw new IllegalStateException(k.kind().toString());
            }
        }
        return m;
    }
}

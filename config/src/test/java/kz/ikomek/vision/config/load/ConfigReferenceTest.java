package kz.ikomek.vision.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    @Test
    void docs_configuration_md_is_generated_from_the_spec() throws IOException {
        String checkedIn = Files.readString(Path.of("../docs/configuration.md"), StandardCharsets.UTF_8);
        assertThat(checkedIn)
                .as("docs/configuration.md is stale; regenerate it: java -cp config/target/classes "
                        + "kz.ikomek.vision.config.load.ConfigReference docs/configuration.md")
                .isEqualTo(ConfigReference.markdown());
    }

    @Test
    void the_reference_shows_the_defaults_the_loader_uses() {
        String md = ConfigReference.markdown();
        assertThat(md).contains("| `detectors.snow.cadence` | duration >= 100ms | `5m` |",
                "| `detectors.snow.months` | list of month numbers 1..12 | `[10, 11, 12, 1, 2, 3, 4]` |",
                "| `incidents.mergeRadiusMeters` | number 0..10000 | `30` |",
                "| `console.port` | integer 1..65535 | `8080` |",
                "| `cameras[].zones[].polygon` | list of [x, y] | **required** |");
    }
}

package kz.ikomek.vision.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.simulator.scene.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorOptionsTest {

    @Test
    void cameras_rotate_through_the_scenarios_and_reuse_streets_beyond_the_variants() {
        SimulatorOptions o = SimulatorOptions.builder().cameras(50).variants(2).build();
        assertThat(o.camera(1)).isEqualTo(new CameraSpec(1, Scenario.CLEAR, 1));
        assertThat(o.camera(7)).isEqualTo(new CameraSpec(7, Scenario.SNOW, 7));
        assertThat(o.camera(17)).isEqualTo(new CameraSpec(17, Scenario.SNOW, 7));
        assertThat(o.camera(10)).isEqualTo(new CameraSpec(10, Scenario.DUMPING, 10));
        SimulatorOptions every = SimulatorOptions.builder().cameras(50).variants(0).build();
        assertThat(every.camera(17).seed()).isEqualTo(17);
    }

    @Test
    void a_scenario_file_assigns_scenarios_and_seeds(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.txt");
        Files.writeString(f, "# the demo crossing\ncam-1 flood 42\n2: flood 42\n3=dumping\n\n");
        SimulatorOptions.Builder b = SimulatorOptions.builder().cameras(4);
        ScenarioFile.apply(f, 4, b);
        SimulatorOptions o = b.build();
        assertThat(o.camera(1)).isEqualTo(new CameraSpec(1, Scenario.FLOOD, 42));
        assertThat(o.camera(2)).isEqualTo(new CameraSpec(2, Scenario.FLOOD, 42));
        assertThat(o.camera(3).scenario()).isEqualTo(Scenario.DUMPING);
        assertThat(o.camera(4).scenario()).isEqualTo(Scenario.OPEN_MANHOLE);
    }

    @Test
    void every_mistake_in_a_scenario_file_is_named_with_its_line(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "cam-1 flod\ncam-9 snow\nx snow\n2 snow 1.5\n");
        assertThatThrownBy(() -> ScenarioFile.apply(f, 4, SimulatorOptions.builder().cameras(4)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(f + ":1: unknown scenario 'flod'; known: clear, snow, flood, open_manhole, dumping")
                .hasMessageContaining(":2: camera 9 is outside 1..4")
                .hasMessageContaining(":3: camera 'x' is not a number")
                .hasMessageContaining(":4: seed '1.5' is not a whole number");
    }
}

package kz.ikomek.vision.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void a_valid_config_prints_a_one_line_summary_and_exits_0() {
        assertThat(run("config", "check", "../examples/astana.yaml")).isZero();
        assertThat(out.toString()).isEqualTo("ok: 5 cameras, 8 zones, 4 detectors" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void an_invalid_config_prints_every_problem_one_per_line_and_exits_2(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                cameras:
                  - id: cam-1
                    url: ftp://admin:hunter2@10.0.0.1/x
                    location: { lat: 95, lon: 71.4, address: "Turan Ave 37" }
                console: { port: 0 }
                """);
        assertThat(run("config", "check", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                "cameras[0].url: unsupported scheme 'ftp' in ftp://***@10.0.0.1/x; use rtsp, rtsps, http, https, file (line 3)",
                "cameras[0].location.lat: must be within -90..90, got 95 (line 4)",
                "console.port: must be within 1..65535, got 0 (line 5)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void a_password_in_a_query_or_path_is_a_warning_that_never_shows_the_password(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("params.yaml");
        Files.writeString(file, """
                cameras:
                  - id: nvr-1
                    url: rtsp://10.0.0.1/user=admin&password=hunter2&channel=1&stream=0.sdp
                    subStream: rtsp://10.0.0.1/live?user=admin&pwd=hunter2
                    location: { lat: 51.1, lon: 71.4, address: "Turan Ave 37" }
                    zones: road
                  - id: cam-2
                    url: rtsp://viewer:hunter2@10.0.0.2/sub
                    location: { lat: 51.1, lon: 71.4, address: "Turan Ave 39" }
                    zones: road
                """);
        assertThat(run("config", "check", file.toString())).isZero();
        assertThat(err.toString().lines().toList()).hasSize(2).allMatch(l -> l.startsWith("warning: cameras[0] (nvr-1)."));
        assertThat(err.toString()).contains("rtsp://10.0.0.1/user=admin&password=***&channel=1&stream=0.sdp")
                .contains("rtsp://10.0.0.1/live?user=admin&pwd=***");
        assertThat(out + err.toString()).doesNotContain("hunter2");
    }

    @Test
    void a_missing_file_exits_2_with_its_name(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThat(run("config", "check", missing.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo(missing + ": no such file");
    }
}

package kz.ikomek.vision.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.simulator.scene.Scenario;

/**
 * The {@code --scenarios} file: one camera per line, {@code CAMERA SCENARIO [SEED]}, where CAMERA is
 * {@code 7} or {@code cam-7}, fields separated by spaces, tabs, commas, colons or '='; {@code #}
 * starts a comment. Cameras not named keep the default rotation. Example:
 * <pre>
 * # two cameras on the same flooded crossing, same street seed
 * cam-1 flood 42
 * cam-2 flood 42
 * 3: dumping
 * </pre>
 */
public final class ScenarioFile {

    private ScenarioFile() {
    }

    /** Applies the file's assignments to the builder; every mistake is reported with file and line. */
    public static void apply(Path file, int cameras, SimulatorOptions.Builder builder) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("--scenarios " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        StringBuilder problems = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] f = line.split("[\\s,:=]+");
            if (f.length < 2 || f.length > 3) {
                problems.append(where).append("expected 'CAMERA SCENARIO [SEED]', got '").append(line).append("'\n");
                continue;
            }
            String cam = f[0].startsWith("cam-") ? f[0].substring(4) : f[0];
            int n;
            try {
                n = Integer.parseInt(cam);
            } catch (NumberFormatException e) {
                problems.append(where).append("camera '").append(f[0]).append("' is not a number or cam-N\n");
                continue;
            }
            if (n < 1 || n > cameras) {
                problems.append(where).append("camera ").append(n).append(" is outside 1..").append(cameras)
                        .append(" (--cameras ").append(cameras).append(")\n");
                continue;
            }
            var scenario = Scenario.fromWire(f[1]);
            if (scenario.isEmpty()) {
                problems.append(where).append("unknown scenario '").append(f[1]).append("'; known: ")
                        .append(Scenario.known()).append('\n');
                continue;
            }
            if (f.length == 3) {
                try {
                    builder.camera(n, scenario.get(), Long.parseLong(f[2]));
                } catch (NumberFormatException e) {
                    problems.append(where).append("seed '").append(f[2]).append("' is not a whole number\n");
                }
            } else {
                builder.camera(n, scenario.get());
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems.toString().strip());
        }
    }
}

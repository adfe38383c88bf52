package kz.ikomek.vision.config.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes docs/configuration.md from {@link ConfigSpec}, so the reference cannot disagree with the
 * loader; a test fails when the checked-in file is stale. Regenerate with
 * {@code java -cp config/target/classes kz.ikomek.vision.config.load.ConfigReference docs/configuration.md}.
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ConfigReference OUTPUT.md");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }

    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration reference\n\n")
                .append("<!-- Generated from config/src/main/java/kz/ikomek/vision/config/load/ConfigSpec.java by\n")
                .append("     java -cp config/target/classes kz.ikomek.vision.config.load.ConfigReference docs/configuration.md\n")
                .append("     Do not edit by hand: ConfigReferenceTest fails when this file and ConfigSpec disagree. -->\n\n")
                .append("Check a file with `./ikomek-vision config check FILE`: exit 0 and a summary, or exit 2 and every\n")
                .append("problem on its own line as `path: reason (line N)`, e.g.\n")
                .append("`cameras[17].zones[2].polygon: needs at least 3 points, got 2 (line 40)`.\n\n")
                .append("Value formats:\n\n")
                .append("- **duration**: `500ms`, `30s`, `5m`, `6h`, `2d`, or a sum such as `1h30m`.\n")
                .append("- **size**: bytes, or with a unit: `KB`, `MB`, `GB`, `TB` (powers of 1000) or `KiB`, `MiB`, `GiB`, `TiB`.\n")
                .append("- **path**: relative paths resolve against the directory of the config file.\n")
                .append("- **id**: 1-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit.\n")
                .append("- **`${NAME}`** in any value is replaced by the environment variable NAME (an error names it when\n")
                .append("  it is unset); `${NAME:-fallback}` uses the fallback when it is unset or empty; `$$` is a literal `$`.\n")
                .append("  Substitution happens after YAML parsing, so a variable never changes the structure.\n")
                .append("- Credentials in URLs (`user:pass@`) are shown as `***@` in every message.\n")
                .append("- Unknown keys are errors (with a suggestion for a typo); YAML merge keys (`<<: *anchor`) work.\n\n")
                .append("Columns: *default* is what an absent key means; **required** keys have none.\n\n");
        for (ConfigSpec.Key top : ConfigSpec.ROOT.keys()) {
            b.append("## `").append(top.name()).append("`\n\n").append(top.doc()).append("\n\n");
            b.append("| key | type | default | description |\n|---|---|---|---|\n");
            rows(b, top.name(), top);
            if (top.name().equals("cameras")) {
                b.append("\nOr, for a registry of thousands of cameras:\n\n");
                b.append("| key | type | default | description |\n|---|---|---|---|\n");
                for (ConfigSpec.Key k : ConfigSpec.CAMERA_CSV.keys()) {
                    rows(b, "cameras." + k.name(), k);
                }
                b.append("\nThe CSV (RFC 4180; quote values that contain commas) has the header `")
                        .append(String.join(",", ConfigSpec.CSV_REQUIRED)).append("` and may add the columns `")
                        .append(String.join("`, `", ConfigSpec.CSV_OPTIONAL)).append("`. `zones` names a zone preset ")
                        .append("(empty = `full-frame`); cells may use `${NAME}`. Problems name the file, line and column:\n")
                        .append("`cameras.csv:1207: lat: must be within -90..90, got 191.2`.\n");
            }
            if (top.name().equals("zonePresets")) {
                b.append("\nBuilt-in presets (a preset of the same name in the file replaces one):\n\n");
                for (Map.Entry<String, String> p : ConfigSpec.BUILT_IN_PRESETS.entrySet()) {
                    b.append("- `").append(p.getKey()).append("`: `").append(p.getValue()).append("`\n");
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void rows(StringBuilder b, String path, ConfigSpec.Key k) {
        b.append("| `").append(path).append("` | ").append(k.type().replace("|", "\\|")).append(" | ").append(defaultText(k))
                .append(" | ").append(k.doc().replace("|", "\\|")).append(" |\n");
        if (k.child() == null) {
            return;
        }
        String prefix = switch (k.kind()) {
            case LIST -> path + "[].";
            case MAP_OF_LISTS -> path + ".<name>[].";
            default -> path + ".";
        };
        for (ConfigSpec.Key child : k.child().keys()) {
            rows(b, prefix + child.name(), child);
        }
    }

    private static String defaultText(ConfigSpec.Key k) {
        if (k.required()) {
            return "**required**";
        }
        if (k.defaultYaml() != null) {
            return "`" + k.defaultYaml() + "`";
        }
        return switch (k.kind()) {
            case SECTION -> "(its defaults)";
            case OPTIONAL_SECTION -> "absent = off";
            case LIST, MAP_OF_LISTS -> "none";
            default -> "unset";
        };
    }
}

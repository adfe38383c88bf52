package kz.ikomek.vision.config.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.Location;
import kz.ikomek.vision.config.ZoneConfig;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The camera registry as CSV (RFC 4180: quoted fields may hold commas, quotes and newlines), one
 * camera per row; the city's 12,000 cameras come from here rather than from YAML. Problems name the
 * file, the line and the column: {@code cameras.csv:1207: lat: must be within -90..90, got 191.2}.
 * Cells go through the same checks (and {@code ${ENV}} substitution) as YAML values.
 */
final class CameraCsv {
    private static final List<String> REQUIRED = ConfigSpec.CSV_REQUIRED;
    private static final List<String> OPTIONAL = ConfigSpec.CSV_OPTIONAL;

    private final LoadContext ctx;
    private final ConfigBinder binder;
    private final Map<String, List<ZoneConfig>> presets;

    /** A camera with where it came from, for duplicate checks across the registry. */
    record Row(CameraConfig camera, String where, String idPath, int line) {
    }

    CameraCsv(LoadContext ctx, ConfigBinder binder, Map<String, List<ZoneConfig>> presets) {
        this.ctx = ctx;
        this.binder = binder;
        this.presets = presets;
    }

    List<Row> read(Path file, String shown, String keyPath, int keyLine) {
        String content;
        try {
            content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            ctx.problems.add(keyPath, "camera registry not found: " + file, keyLine);
            return List.of();
        } catch (IOException e) {
            ctx.problems.add(keyPath, "cannot read camera registry " + file + ": " + e.getMessage(), keyLine);
            return List.of();
        }
        if (content.startsWith("\uFEFF")) {
            content = content.substring(1);
        }
        List<Record> records = parse(content, shown);
        if (records.isEmpty()) {
            ctx.problems.add(shown + ":1", "empty file; expected the header " + String.join(",", REQUIRED));
            return List.of();
        }
        Map<String, Integer> columns = header(records.get(0), shown);
        if (columns == null) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>(records.size());
        for (Record r : records.subList(1, records.size())) {
            if (r.fields.size() == 1 && r.fields.get(0).isBlank() || r.fields.get(0).startsWith("#")) {
                continue;
            }
            String where = shown + ":" + r.line;
            if (r.fields.size() != records.get(0).fields.size()) {
                ctx.problems.add(where, "expected " + records.get(0).fields.size() + " fields, got " + r.fields.size()
                        + " (quote values that contain commas)");
                continue;
            }
            rows.add(row(r, columns, where));
        }
        return rows;
    }

    private Map<String, Integer> header(Record header, String shown) {
        String where = shown + ":" + header.line + ": header";
        Map<String, Integer> columns = new LinkedHashMap<>();
        List<String> known = new ArrayList<>(REQUIRED);
        known.addAll(OPTIONAL);
        int before = ctx.problems.size();
        for (int i = 0; i < header.fields.size(); i++) {
            String name = header.fields.get(i).trim();
            if (!known.contains(name)) {
                ctx.problems.add(where, "unknown column " + Problems.echo(name) + Suggestions.hint(name, known));
            } else if (columns.putIfAbsent(name, i) != null) {
                ctx.problems.add(where, "column '" + name + "' appears twice");
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                ctx.problems.add(where, "missing column '" + required + "'");
            }
        }
        return ctx.problems.size() == before ? columns : null;
    }

    private Row row(Record r, Map<String, Integer> columns, String where) {
        String id = ctx.id(required(r, columns, "id", where), where + ": id");
        String url = url(required(r, columns, "url", where), where + ": url");
        Node subCell = cell(r, columns, "subStream");
        String sub = subCell == null ? null : url(subCell, where + ": subStream");
        Double lat = ctx.number(required(r, columns, "lat", where), where + ": lat", -90, 90);
        Double lon = ctx.number(required(r, columns, "lon", where), where + ": lon", -180, 180);
        String address = ctx.nonBlank(required(r, columns, "address", where), where + ": address");
        Node transportCell = cell(r, columns, "transport");
        CameraConfig.Transport transport = transportCell == null ? CameraConfig.Transport.TCP
                : ctx.choice(transportCell, where + ": transport", ConfigBinder.TRANSPORTS, "transport");
        Node districtCell = cell(r, columns, "district");
        String district = districtCell == null ? null : ctx.nonBlank(districtCell, where + ": district");
        // An empty zones cell means the whole frame, as a YAML camera without zones.
        Node zonesCell = cell(r, columns, "zones");
        String preset = zonesCell == null ? "full-frame" : ctx.text(zonesCell, where + ": zones", "a zone preset name");
        List<ZoneConfig> zones = preset == null ? null : binder.preset(preset.trim(), presets, where + ": zones", 0);
        CameraConfig camera = new CameraConfig(id, url, Optional.ofNullable(sub), transport,
                new Location(lat == null ? 0 : lat, lon == null ? 0 : lon, address, Optional.ofNullable(district)),
                zones == null ? List.of() : zones);
        return new Row(camera, where, where + ": id", 0);
    }

    private String url(Node cell, String path) {
        String url = ctx.nonBlank(cell, path);
        String reason = url == null ? null : CameraUrls.problem(url, CameraUrls.CAMERA_SCHEMES);
        if (reason != null) {
            ctx.problems.add(path, reason);
            return null;
        }
        return url;
    }

    private Node required(Record r, Map<String, Integer> columns, String column, String where) {
        Node n = cell(r, columns, column);
        if (n == null) {
            ctx.problems.add(where + ": " + column, "missing");
        }
        return n;
    }

    /** The cell as a YAML scalar so the YAML checks apply; null when the column is absent or the cell empty. */
    private static Node cell(Record r, Map<String, Integer> columns, String column) {
        Integer i = columns.get(column);
        if (i == null || r.fields.get(i).isBlank()) {
            return null;
        }
        return new ScalarNode(Tag.STR, r.fields.get(i).trim(), null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    /** One CSV record and the line it starts on (1-based). */
    private record Record(int line, List<String> fields) {
    }

    private List<Record> parse(String s, String shown) {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
                any = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                records.add(new Record(recordLine, fields));
                fields = new ArrayList<>();
                field.setLength(0);
                any = false;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (quoted) {
            ctx.problems.add(shown + ":" + recordLine, "a quoted value is not closed (missing \")");
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            records.add(new Record(recordLine, fields));
        }
        return records;
    }
}

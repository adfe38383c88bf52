package kz.ikomek.vision.detectors.zone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;

/**
 * The zones file of {@code detect --zones FILE}: YAML or JSON, either a list or {@code {zones: [...]}}, each
 * {@code {id, polygon: [[x, y], ...], detectors: [...]}} with normalized points; {@code detectors} is optional
 * (default: all types). Every problem is reported with its path.
 */
public final class ZoneFile {

    private ZoneFile() {
    }

    public static List<Zone> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BadInputException("zones file " + file + ": cannot read it as YAML or JSON: " + e.getMessage(), e);
        }
        if (root != null && root.isObject() && root.has("zones")) {
            root = root.get("zones");
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new BadInputException("zones file " + file
                    + ": expected a list of zones {id, polygon} (or {zones: [...]}), found none");
        }
        List<String> problems = new ArrayList<>();
        List<Zone> zones = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String path = "zones[" + i + "]";
            JsonNode z = root.get(i);
            String id = z.path("id").asText("");
            if (id.isBlank()) {
                problems.add(path + ".id: missing");
            } else if (!ids.add(id)) {
                problems.add(path + ".id: '" + id + "' is used twice");
            }
            List<Zone.Point> points = new ArrayList<>();
            JsonNode poly = z.path("polygon");
            if (!poly.isArray() || poly.size() < 3) {
                problems.add(path + ".polygon: needs at least 3 points [x, y], got " + (poly.isArray() ? poly.size() : 0));
            } else {
                for (int p = 0; p < poly.size(); p++) {
                    JsonNode pt = poly.get(p);
                    double x = pt.path(0).asDouble(Double.NaN);
                    double y = pt.path(1).asDouble(Double.NaN);
                    if (!pt.isArray() || pt.size() != 2 || !(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                        problems.add(path + ".polygon[" + p + "]: needs [x, y] with both in 0..1 (normalized), got " + pt);
                    }
                    points.add(new Zone.Point(x, y));
                }
            }
            Set<IncidentType> types = EnumSet.allOf(IncidentType.class);
            if (z.has("detectors")) {
                types = EnumSet.noneOf(IncidentType.class);
                for (JsonNode d : z.get("detectors")) {
                    var t = IncidentType.fromWire(d.asText());
                    if (t.isEmpty()) {
                        problems.add(path + ".detectors: unknown '" + d.asText() + "' (snow, flood, open_manhole, dumping)");
                    } else {
                        types.add(t.get());
                    }
                }
            }
            if (problems.isEmpty()) {
                zones.add(new Zone(id, points, types));
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException("zones file " + file + ": " + String.join("; ", problems));
        }
        return zones;
    }
}

package kz.ikomek.vision.config;

import java.util.List;

/**
 * A region of a camera image, in normalized coordinates (0..1, x to the right, y down), and the
 * detectors that watch it.
 */
public record ZoneConfig(String id, List<Point> polygon, List<IncidentType> detectors) {

    public ZoneConfig {
        polygon = List.copyOf(polygon);
        detectors = List.copyOf(detectors);
    }

    public boolean watches(IncidentType type) {
        return detectors.contains(type);
    }

    /** Whether the normalized point lies inside the polygon (even-odd rule). */
    public boolean contains(double x, double y) {
        boolean inside = false;
        for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
            Point a = polygon.get(i);
            Point b = polygon.get(j);
            if ((a.y() > y) != (b.y() > y) && x < (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x()) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** A polygon vertex in normalized image coordinates. */
    public record Point(double x, double y) {
    }
}

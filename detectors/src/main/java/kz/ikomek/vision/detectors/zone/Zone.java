package kz.ikomek.vision.detectors.zone;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;

/**
 * A region of one camera's picture that some detectors watch.
 *
 * @param polygon at least 3 points, normalized: x and y in 0..1 of the frame's width and height
 * @param types   the incident types analysed in this zone
 */
public record Zone(String id, List<Point> polygon, Set<IncidentType> types) {

    public static final String WHOLE_FRAME_ID = "frame";

    /** A normalized point: 0..1 of the frame's width (x) and height (y). */
    public record Point(double x, double y) {
    }

    public Zone {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("zone id is blank");
        }
        if (polygon.size() < 3) {
            throw new IllegalArgumentException("zone " + id + ": polygon needs at least 3 points, got "
                    + polygon.size());
        }
        for (Point p : polygon) {
            if (!(p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1)) {
                throw new IllegalArgumentException("zone " + id + ": point [" + p.x + ", " + p.y
                        + "] is outside 0..1 (polygons are normalized to the frame size)");
            }
        }
        polygon = List.copyOf(polygon);
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /** The whole picture, all types: what {@code detect} without {@code --zones} scores. */
    public static Zone wholeFrame() {
        return rectangle(WHOLE_FRAME_ID, 0, 0, 1, 1, EnumSet.allOf(IncidentType.class));
    }

    public static Zone rectangle(String id, double x0, double y0, double x1, double y1, Set<IncidentType> types) {
        return new Zone(id, List.of(new Point(x0, y0), new Point(x1, y0), new Point(x1, y1), new Point(x0, y1)),
                types);
    }

    /** The rectangle {@code region} (frame pixels) of a {@code frameW} × {@code frameH} frame, as a zone. */
    public static Zone around(String id, Box region, int frameW, int frameH, Set<IncidentType> types) {
        double w = frameW;
        double h = frameH;
        return rectangle(id, Math.max(0, region.x() / w), Math.max(0, region.y() / h),
                Math.min(1, (region.x() + region.width()) / w), Math.min(1, (region.y() + region.height()) / h), types);
    }

    public boolean reads(IncidentType type) {
        return types.contains(type);
    }

    /** The polygon's bounding box in pixels of a {@code frameW} × {@code frameH} frame, at least 1×1, inside it. */
    public Box pixelBounds(int frameW, int frameH) {
        int minX = frameW, minY = frameH, maxX = 0, maxY = 0;
        for (Point p : polygon) {
            int x = (int) Math.round(p.x * frameW);
            int y = (int) Math.round(p.y * frameH);
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        minX = Math.min(minX, frameW - 1);
        minY = Math.min(minY, frameH - 1);
        return new Box(minX, minY, Math.max(1, Math.min(maxX, frameW) - minX), Math.max(1, Math.min(maxY, frameH) - minY));
    }

    /** True when the polygon is its own bounding box, so no pixel needs masking. */
    public boolean isAxisAlignedRectangle() {
        if (polygon.size() != 4) {
            return false;
        }
        double minX = 1, minY = 1, maxX = 0, maxY = 0;
        for (Point p : polygon) {
            minX = Math.min(minX, p.x);
            maxX = Math.max(maxX, p.x);
            minY = Math.min(minY, p.y);
            maxY = Math.max(maxY, p.y);
        }
        for (Point p : polygon) {
            if ((p.x != minX && p.x != maxX) || (p.y != minY && p.y != maxY)) {
                return false;
            }
        }
        return true;
    }
}

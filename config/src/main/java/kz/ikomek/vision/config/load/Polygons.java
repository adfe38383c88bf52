package kz.ikomek.vision.config.load;

import java.util.List;
import kz.ikomek.vision.config.ZoneConfig.Point;

/** Geometry checks for zone polygons (normalized coordinates, so an exact-zero test is fine). */
final class Polygons {
    private Polygons() {
    }

    /** Twice the signed area (shoelace). */
    static double doubleArea(List<Point> p) {
        double sum = 0;
        for (int i = 0; i < p.size(); i++) {
            Point a = p.get(i);
            Point b = p.get((i + 1) % p.size());
            sum += a.x() * b.y() - b.x() * a.y();
        }
        return sum;
    }

    /**
     * The first pair of edges that cross or touch although they are not neighbours, as
     * {@code {i, j}} (edge i runs from point i to point i+1), or null for a simple polygon.
     * O(n^2), fine for the handful of points a zone has.
     */
    static int[] firstCrossing(List<Point> p) {
        int n = p.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean neighbours = j == i + 1 || (i == 0 && j == n - 1);
                if (neighbours) {
                    continue;
                }
                if (intersect(p.get(i), p.get((i + 1) % n), p.get(j), p.get((j + 1) % n))) {
                    return new int[] {i, j};
                }
            }
        }
        return null;
    }

    private static boolean intersect(Point a, Point b, Point c, Point d) {
        double d1 = cross(c, d, a);
        double d2 = cross(c, d, b);
        double d3 = cross(a, b, c);
        double d4 = cross(a, b, d);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
            return true;
        }
        return (d1 == 0 && onSegment(c, d, a)) || (d2 == 0 && onSegment(c, d, b))
                || (d3 == 0 && onSegment(a, b, c)) || (d4 == 0 && onSegment(a, b, d));
    }

    private static double cross(Point o, Point a, Point b) {
        return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
    }

    private static boolean onSegment(Point a, Point b, Point p) {
        return Math.min(a.x(), b.x()) <= p.x() && p.x() <= Math.max(a.x(), b.x())
                && Math.min(a.y(), b.y()) <= p.y() && p.y() <= Math.max(a.y(), b.y());
    }
}

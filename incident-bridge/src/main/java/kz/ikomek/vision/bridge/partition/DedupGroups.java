package kz.ikomek.vision.bridge.partition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import kz.ikomek.vision.bridge.dedup.PlaceGrid;
import kz.ikomek.vision.config.GeoPoint;

/**
 * The place partition key: cameras whose places lie within the merge radius of each other, taken transitively
 * (the connected components of "within the radius"), from the camera registry. Every candidate that could
 * merge into an incident comes from a camera of the same group, so one partition owner sees them all.
 *
 * <p>A place at a group's edge: there is none. A group is closed under "within the radius", so a camera within
 * the radius of any member is a member; two cameras 25 m apart along a street of 30 m spacing chain into one
 * group. Such chains are what a partition owner must take whole (a long avenue can be one group); a
 * partition holds many groups, so the cost is balance, not correctness. The group id is the smallest camera id
 * of the group: unrelated registry edits do not rename it. A camera not in the registry is keyed by the group
 * of the nearest registered camera within the radius of its place, else by itself.
 *
 * <p>A registry edit that joins two groups (a new camera between them) renames one; an incident opened under
 * the old name stays with its owner (actions are keyed by the incident's own group), and a candidate of the
 * joined group can open a second incident for the same place at most once, in the new group's partition.
 */
public final class DedupGroups {

    private final double radiusMeters;
    private final Map<String, String> groupOfCamera;
    private final Map<String, GeoPoint> places;
    private final PlaceGrid<String> grid;

    private DedupGroups(double radiusMeters, Map<String, String> groupOfCamera, Map<String, GeoPoint> places,
                        PlaceGrid<String> grid) {
        this.radiusMeters = radiusMeters;
        this.groupOfCamera = groupOfCamera;
        this.places = places;
        this.grid = grid;
    }

    /** Groups the cameras ({@code camera id → place}) by {@code mergeRadiusMeters} ({@code incidents.mergeRadiusMeters}). */
    public static DedupGroups of(Map<String, GeoPoint> places, double mergeRadiusMeters) {
        if (!(mergeRadiusMeters >= 0)) {
            throw new IllegalArgumentException("mergeRadiusMeters: must be >= 0, got " + mergeRadiusMeters);
        }
        Map<String, GeoPoint> sorted = new TreeMap<>(places);
        Map<String, String> parent = new HashMap<>();
        PlaceGrid<String> grid = new PlaceGrid<>(mergeRadiusMeters);
        for (Map.Entry<String, GeoPoint> camera : sorted.entrySet()) {
            String id = camera.getKey();
            GeoPoint place = Objects.requireNonNull(camera.getValue(), () -> "camera " + id + ": no place");
            parent.put(id, id);
            for (String other : grid.near(place)) {
                if (sorted.get(other).metersTo(place) <= mergeRadiusMeters) {
                    union(parent, id, other);
                }
            }
            grid.put(id, place, id);
        }
        Map<String, String> groupOf = new HashMap<>();
        for (String id : sorted.keySet()) {
            groupOf.put(id, root(parent, id));
        }
        return new DedupGroups(mergeRadiusMeters, groupOf, sorted, grid);
    }

    /** The group of a registered camera, or of the nearest registered camera within the radius of {@code place}. */
    public String groupOf(String cameraId, GeoPoint place) {
        String known = groupOfCamera.get(cameraId);
        if (known != null) {
            return known;
        }
        String nearest = null;
        double best = Double.MAX_VALUE;
        if (place != null) {
            for (String other : grid.near(place)) {
                double d = places.get(other).metersTo(place);
                if (d <= radiusMeters && (d < best || d == best && other.compareTo(nearest) < 0)) {
                    best = d;
                    nearest = other;
                }
            }
        }
        return nearest == null ? cameraId : groupOfCamera.get(nearest);
    }

    /** Every group with its cameras, sorted. */
    public Map<String, List<String>> members() {
        Map<String, List<String>> m = new TreeMap<>();
        groupOfCamera.forEach((camera, group) -> m.computeIfAbsent(group, k -> new ArrayList<>()).add(camera));
        m.values().forEach(Collections::sort);
        return m;
    }

    public double radiusMeters() {
        return radiusMeters;
    }

    /** The smaller id becomes the root, so the root of a group is its smallest camera id. */
    private static void union(Map<String, String> parent, String a, String b) {
        String ra = root(parent, a);
        String rb = root(parent, b);
        if (ra.equals(rb)) {
            return;
        }
        if (ra.compareTo(rb) < 0) {
            parent.put(rb, ra);
        } else {
            parent.put(ra, rb);
        }
    }

    private static String root(Map<String, String> parent, String id) {
        String r = id;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        // Path compression: chains along an avenue would otherwise make every lookup walk the avenue.
        for (String c = id; !c.equals(r); ) {
            String next = parent.get(c);
            parent.put(c, r);
            c = next;
        }
        return r;
    }
}

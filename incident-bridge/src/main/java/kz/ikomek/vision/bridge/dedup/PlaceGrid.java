package kz.ikomek.vision.bridge.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.config.GeoPoint;

/**
 * Things at places, by square cells one merge radius high, so a place is compared with the things of the cells
 * around it instead of with every one: dedup entries of one incident type (a snow storm opens thousands of
 * incidents at once, and a linear scan per candidate made the decision, not the disk, the bridge's limit), and
 * cameras when the registry is cut into dedup groups.
 *
 * <p>Cells are equal in degrees; a degree of longitude shrinks towards the poles, so the search widens by
 * 1/cos(latitude) cells east and west. Near a pole or the antimeridian it falls back to every entry.
 */
public final class PlaceGrid<T> {

    /** Meters per degree of latitude on {@link GeoPoint}'s sphere. */
    private static final double METERS_PER_DEGREE = 6_371_008.8 * Math.PI / 180;
    private static final int MAX_LON_CELLS = 64;

    private final double cellDegrees;
    private record Placed<T>(GeoPoint place, T value) {
    }

    private final Map<Long, Map<String, Placed<T>>> cells = new HashMap<>();
    private final Map<String, Placed<T>> all = new LinkedHashMap<>();

    public PlaceGrid(double radiusMeters) {
        // A hair larger than the radius: an entry exactly one radius away is never two cells off.
        this.cellDegrees = Math.max(radiusMeters, 1) * 1.001 / METERS_PER_DEGREE;
    }

    /** Adds or moves {@code id}. */
    public void put(String id, GeoPoint place, T value) {
        Placed<T> now = new Placed<>(place, value);
        Placed<T> old = all.put(id, now);
        if (old != null) {
            removeFromCell(id, old);
        }
        cells.computeIfAbsent(cell(place), k -> new LinkedHashMap<>()).put(id, now);
    }

    public T remove(String id) {
        Placed<T> old = all.remove(id);
        if (old == null) {
            return null;
        }
        removeFromCell(id, old);
        return old.value();
    }

    public T get(String id) {
        Placed<T> p = all.get(id);
        return p == null ? null : p.value();
    }

    public boolean containsKey(String id) {
        return all.containsKey(id);
    }

    /** Everything, in the order first put. */
    public List<T> values() {
        List<T> out = new ArrayList<>(all.size());
        all.values().forEach(p -> out.add(p.value()));
        return out;
    }

    public int size() {
        return all.size();
    }

    /** Everything that may lie within one radius of {@code p} (and some farther): check the distance. */
    public List<T> near(GeoPoint p) {
        long row = row(p.lat());
        double cos = Math.cos(Math.toRadians(Math.min(90, Math.abs(p.lat()) + cellDegrees)));
        int lonCells = cos <= 0 ? Integer.MAX_VALUE : (int) Math.ceil(1 / cos);
        if (lonCells > MAX_LON_CELLS || Math.abs(p.lon()) + lonCells * cellDegrees >= 180) {
            return values();
        }
        long col = col(p.lon());
        List<T> out = new ArrayList<>();
        for (long r = row - 1; r <= row + 1; r++) {
            for (long c = col - lonCells; c <= col + lonCells; c++) {
                Map<String, Placed<T>> cell = cells.get(key(r, c));
                if (cell != null) {
                    cell.values().forEach(placed -> out.add(placed.value()));
                }
            }
        }
        return out;
    }

    private void removeFromCell(String id, Placed<T> p) {
        long k = cell(p.place());
        Map<String, Placed<T>> cell = cells.get(k);
        if (cell != null) {
            cell.remove(id);
            if (cell.isEmpty()) {
                cells.remove(k);
            }
        }
    }

    private long cell(GeoPoint p) {
        return key(row(p.lat()), col(p.lon()));
    }

    private long row(double lat) {
        return (long) Math.floor(lat / cellDegrees);
    }

    private long col(double lon) {
        return (long) Math.floor(lon / cellDegrees);
    }

    private static long key(long row, long col) {
        return (row << 32) ^ (col & 0xffffffffL);
    }
}

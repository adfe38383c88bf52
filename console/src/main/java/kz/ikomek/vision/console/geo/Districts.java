package kz.ikomek.vision.console.geo;

import java.util.List;
import kz.ikomek.vision.config.GeoPoint;

/**
 * Astana's five districts (Almaty, Baikonur, Yesil, Nura, Saryarka), approximated by coarse boxes around their
 * centres so the console can filter and colour without a GIS service. Good enough to split a queue by area; not
 * a cadastral boundary: a point near a border may land in the neighbouring district.
 */
public final class Districts {

    /** A district's name and the rough centre used to assign points to the nearest one. */
    record District(String name, GeoPoint centre) {
    }

    // The river Yesil separates the old right bank (north: Saryarka, Almaty, Baikonur) from the new left bank
    // (south: Yesil, Nura); nearest-centre assignment reproduces that split well at city scale.
    private static final List<District> DISTRICTS = List.of(
            new District("Saryarka", new GeoPoint(51.1900, 71.4050)),
            new District("Almaty", new GeoPoint(51.1650, 71.4800)),
            new District("Baikonur", new GeoPoint(51.1750, 71.4350)),
            new District("Yesil", new GeoPoint(51.1150, 71.4300)),
            new District("Nura", new GeoPoint(51.0800, 71.4100)));

    /** Further than this from every centre is outside the city. */
    private static final double CITY_RADIUS_METERS = 25_000;

    private Districts() {
    }

    public static List<String> names() {
        return DISTRICTS.stream().map(District::name).toList();
    }

    /** The nearest district's name, or "outside" for a place beyond the city. */
    public static String of(GeoPoint p) {
        if (p == null) {
            return "unknown";
        }
        District best = null;
        double bestMeters = Double.MAX_VALUE;
        for (District d : DISTRICTS) {
            double m = d.centre().metersTo(p);
            if (m < bestMeters) {
                bestMeters = m;
                best = d;
            }
        }
        return bestMeters > CITY_RADIUS_METERS ? "outside" : best.name();
    }
}

package kz.ikomek.vision.config;

import java.util.Optional;

/** Where a camera looks: a WGS-84 position and the street address sent to the case system. */
public record Location(double lat, double lon, String address, Optional<String> district) {

    public GeoPoint point() {
        return new GeoPoint(lat, lon);
    }
}

package kz.ikomek.vision.console.site;

import java.util.List;
import kz.ikomek.vision.config.GeoPoint;

/**
 * Where a camera stands and which zones of its picture are watched: the console draws the position on the map
 * and the zones over the evidence frames. Built by the app from the camera configuration.
 *
 * @param zones the configured zones, polygons in normalized picture coordinates (x, y in 0..1)
 */
public record CameraSite(String cameraId, GeoPoint location, String address, List<Zone> zones) {

    public CameraSite {
        zones = List.copyOf(zones);
    }

    /** @param polygon points as {x, y} pairs in 0..1; @param detectors the incident types watched there */
    public record Zone(String id, List<double[]> polygon, List<String> detectors) {
        public Zone {
            polygon = List.copyOf(polygon);
            detectors = List.copyOf(detectors);
        }
    }
}

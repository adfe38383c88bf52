package kz.ikomek.vision.detectors.zone;

import java.util.List;
import java.util.Optional;
import kz.ikomek.vision.config.GeoPoint;

/** One camera as the detectors see it: where it stands (for incidents) and the zones it watches. */
public record CameraSite(String cameraId, GeoPoint place, String address, List<Zone> zones) {

    public CameraSite {
        zones = List.copyOf(zones);
    }

    public Optional<Zone> zone(String id) {
        return zones.stream().filter(z -> z.id().equals(id)).findFirst();
    }
}

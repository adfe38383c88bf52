package kz.ikomek.vision.config;

import java.util.List;
import java.util.Optional;

/**
 * One camera. {@link #url()} may carry credentials: hand it to the grabber, never to a log;
 * {@link #toString()} masks them.
 */
public record CameraConfig(String id, String url, Optional<String> subStream, Location location, List<ZoneConfig> zones) {

    public CameraConfig {
        zones = List.copyOf(zones);
    }

    /** The stream to analyse: the sub-stream (e.g. 640x360) when there is one, else the main stream. */
    public String analyticsUrl() {
        return subStream.orElse(url);
    }

    @Override
    public String toString() {
        return "CameraConfig[id=" + id + ", url=" + Urls.mask(url)
                + ", subStream=" + subStream.map(Urls::mask).orElse("-")
                + ", location=" + location + ", zones=" + zones + "]";
    }
}

package kz.ikomek.vision.config;

import java.util.List;
import java.util.Optional;

/**
 * One camera. {@link #url()} may carry credentials: hand it to the grabber, never to a log;
 * {@link #toString()} masks them. {@code transport} is the RTSP lower transport.
 */
public record CameraConfig(String id, String url, Optional<String> subStream, Transport transport, Location location,
                           List<ZoneConfig> zones) {

    /** RTSP over TCP (interleaved; the default: a lost UDP packet smears a whole keyframe) or UDP. */
    public enum Transport { TCP, UDP }

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
                + ", subStream=" + subStream.map(Urls::mask).orElse("-") + ", transport=" + transport
                + ", location=" + location + ", zones=" + zones + "]";
    }
}

package kz.ikomek.vision.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One camera as ingest needs it: where to read and how often each zone wants a frame.
 * The app maps the configuration onto this; ingest knows nothing of the config records.
 *
 * @param id            the camera's configured id
 * @param url           the main stream (rtsp, rtsps, http(s) MJPEG/HLS, file path)
 * @param subStreamUrl  a lower-resolution stream of the same camera, preferred when given; may be null
 * @param zoneCadences  zone id → how often that zone's detectors want a frame (the fastest sets the pace)
 * @param transport     RTSP transport; TCP unless a camera only speaks UDP
 */
public record CameraSource(String id, String url, String subStreamUrl, Map<String, Duration> zoneCadences,
                           Transport transport) {

    /** RTSP lower transport. */
    public enum Transport { TCP, UDP }

    public CameraSource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(zoneCadences, "zoneCadences");
        Objects.requireNonNull(transport, "transport");
        if (id.isBlank()) {
            throw new IllegalArgumentException("camera id must not be blank");
        }
        if (zoneCadences.isEmpty()) {
            throw new IllegalArgumentException("camera " + id + ": needs at least one zone with a cadence");
        }
        zoneCadences.forEach((zone, cadence) -> {
            if (cadence == null || cadence.isNegative() || cadence.isZero()) {
                throw new IllegalArgumentException("camera " + id + " zone " + zone + ": cadence must be positive, got " + cadence);
            }
        });
        zoneCadences = Map.copyOf(zoneCadences);
        if (subStreamUrl != null && subStreamUrl.isBlank()) {
            subStreamUrl = null;
        }
    }

    public CameraSource(String id, String url, String subStreamUrl, Map<String, Duration> zoneCadences) {
        this(id, url, subStreamUrl, zoneCadences, Transport.TCP);
    }

    /** The stream a session reads: the sub-stream when configured (analytics want ~640x360, not 4K). */
    public String streamUrl() {
        return subStreamUrl != null ? subStreamUrl : url;
    }

    /** The fastest cadence of any zone: the pace of the session. */
    public Duration fastestCadence() {
        return zoneCadences.values().stream().min(Duration::compareTo).orElseThrow();
    }

    @Override
    public String toString() {
        return "CameraSource[" + id + "]";   // URLs carry credentials; never print them whole
    }
}

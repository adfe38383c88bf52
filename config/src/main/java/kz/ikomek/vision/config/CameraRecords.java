package kz.ikomek.vision.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.config.load.ConfigReader;

/**
 * A camera as one JSON record, for the compacted camera topic of cluster mode (key = camera id).
 * The JSON uses the config's own keys, with zones written out, so {@link #fromJson} checks a record
 * with exactly the rules of a config file and a bad record is rejected with its path instead of
 * breaking a worker. The record carries the URL with its credentials: the topic is internal.
 */
public final class CameraRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CameraRecords() {
    }

    public static String toJson(CameraConfig camera) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", camera.id());
        m.put("url", camera.url());
        camera.subStream().ifPresent(s -> m.put("subStream", s));
        m.put("transport", camera.transport().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("lat", camera.location().lat());
        location.put("lon", camera.location().lon());
        location.put("address", camera.location().address());
        camera.location().district().ifPresent(d -> location.put("district", d));
        m.put("location", location);
        m.put("zones", camera.zones().stream().map(z -> {
            Map<String, Object> zone = new LinkedHashMap<>();
            zone.put("id", z.id());
            zone.put("polygon", z.polygon().stream().map(p -> List.of(p.x(), p.y())).toList());
            zone.put("detectors", z.detectors().stream().map(IncidentType::wireName).toList());
            return zone;
        }).toList());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write camera " + camera.id(), e);
        }
    }

    /**
     * @param path names the record in problems, e.g. {@code ikomek.cameras.v1[cam-0001]}
     * @throws ConfigException listing every problem of the record
     */
    public static CameraConfig fromJson(String json, String path) {
        return ConfigReader.readCamera(json, path);
    }
}

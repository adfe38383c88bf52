package kz.ikomek.vision.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration of one ikomek-vision process, as loaded and validated by
 * {@link ConfigLoader}. Every optional key has already been filled with its default
 * (see docs/configuration.md), so consumers never see a missing value except where absence
 * means something: {@link #cluster()} empty = standalone.
 */
public record VisionConfig(
        StorageConfig storage,
        List<CameraConfig> cameras,
        Map<IncidentType, DetectorSettings> detectors,
        IncidentsConfig incidents,
        DeliveryConfig delivery,
        ConsoleConfig console,
        Optional<ClusterConfig> cluster,
        ModelsConfig models) {

    public VisionConfig {
        cameras = List.copyOf(cameras);
        detectors = detectors.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(detectors));
    }

    public Optional<CameraConfig> camera(String id) {
        return cameras.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public DetectorSettings detector(IncidentType type) {
        return detectors.get(type);
    }

    public int zoneCount() {
        return cameras.stream().mapToInt(c -> c.zones().size()).sum();
    }

    /**
     * What is valid but unwise, for {@code config check} to print: camera URLs that carry a password as a query or
     * path parameter. Masked everywhere we print them, such URLs still reach the camera's and any proxy's access
     * log; user info ({@code rtsp://user:${CAM_PASSWORD}@host/…}) does not.
     */
    public List<Problem> warnings() {
        List<Problem> out = new java.util.ArrayList<>();
        for (int i = 0; i < cameras.size(); i++) {
            CameraConfig c = cameras.get(i);
            String path = "cameras[" + i + "] (" + c.id() + ")";
            if (Urls.hasParameterCredential(c.url())) {
                out.add(new Problem(path + ".url", credentialAdvice(c.url())));
            }
            if (c.subStream().isPresent() && Urls.hasParameterCredential(c.subStream().get())) {
                out.add(new Problem(path + ".subStream", credentialAdvice(c.subStream().get())));
            }
        }
        return out;
    }

    private static String credentialAdvice(String url) {
        return "carries a credential as a URL parameter (" + Urls.mask(url) + "); it is masked in logs and the "
                + "console but reaches the camera's and proxies' access logs: prefer rtsp://user:${CAM_PASSWORD}@host/… "
                + "if the camera takes it, and keep the secret in an environment variable either way";
    }

    /** The incident types that are enabled and watched by at least one zone. */
    public Set<IncidentType> activeDetectors() {
        Set<IncidentType> used = EnumSet.noneOf(IncidentType.class);
        cameras.forEach(c -> c.zones().forEach(z -> used.addAll(z.detectors())));
        used.removeIf(t -> detectors.containsKey(t) && !detectors.get(t).enabled());
        return used;
    }
}

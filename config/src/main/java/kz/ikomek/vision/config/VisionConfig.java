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

    /** The incident types that are enabled and watched by at least one zone. */
    public Set<IncidentType> activeDetectors() {
        Set<IncidentType> used = EnumSet.noneOf(IncidentType.class);
        cameras.forEach(c -> c.zones().forEach(z -> used.addAll(z.detectors())));
        used.removeIf(t -> detectors.containsKey(t) && !detectors.get(t).enabled());
        return used;
    }
}

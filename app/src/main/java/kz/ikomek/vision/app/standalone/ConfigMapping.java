package kz.ikomek.vision.app.standalone;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.delivery.KafkaOptions;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.evidence.RetentionOptions;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.DeliveryConfig;
import kz.ikomek.vision.config.DetectorSettings;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.config.Secret;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.config.ZoneConfig;
import kz.ikomek.vision.detectors.schedule.DetectorSchedule;
import kz.ikomek.vision.detectors.track.TrackerPolicy;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.ingest.CameraSource;

/**
 * The configuration records mapped onto each module's own small types: the modules know nothing of the
 * YAML, so this is the one place that reads both.
 */
public final class ConfigMapping {

    private ConfigMapping() {
    }

    /** What ingest needs of a camera: its stream and how often each zone wants a frame (its fastest detector). */
    static CameraSource cameraSource(CameraConfig camera, VisionConfig config) {
        Map<String, Duration> cadences = new LinkedHashMap<>();
        for (ZoneConfig zone : camera.zones()) {
            zone.detectors().stream()
                    .map(config::detector)
                    .filter(d -> d != null && d.enabled())
                    .map(DetectorSettings::cadence)
                    .min(Duration::compareTo)
                    .ifPresent(c -> cadences.put(zone.id(), c));
        }
        return new CameraSource(camera.id(), camera.url(), camera.subStream().orElse(null), cadences,
                CameraSource.Transport.valueOf(camera.transport().name()));
    }

    public static CameraSite cameraSite(CameraConfig camera) {
        List<Zone> zones = camera.zones().stream()
                .map(z -> new Zone(z.id(),
                        z.polygon().stream().map(p -> new Zone.Point(p.x(), p.y())).toList(),
                        z.detectors().isEmpty() ? EnumSet.noneOf(IncidentType.class) : EnumSet.copyOf(z.detectors())))
                .toList();
        return new CameraSite(camera.id(), camera.location().point(), camera.location().address(), zones);
    }

    public static Map<IncidentType, DetectorSchedule> schedules(VisionConfig config) {
        Map<IncidentType, DetectorSchedule> schedules = new EnumMap<>(IncidentType.class);
        // The config lists all twelve months for a year-round detector; the detectors say "all year" with no months.
        config.detectors().forEach((type, d) -> schedules.put(type, new DetectorSchedule(d.cadence(),
                d.months().size() == 12 ? Set.of() : d.months())));
        return schedules;
    }

    public static Map<IncidentType, TrackerPolicy> trackerPolicies(VisionConfig config) {
        Map<IncidentType, TrackerPolicy> policies = new EnumMap<>(IncidentType.class);
        config.detectors().forEach((type, d) -> {
            DetectorSettings.TrackerSettings t = d.tracker();
            policies.put(type, new TrackerPolicy(t.k(), t.n(), t.minDuration(), t.clearDuration()));
        });
        return policies;
    }

    /** The per-type score thresholds the config overrides (the rest come from the model cards). */
    public static Map<IncidentType, Double> thresholdOverrides(VisionConfig config) {
        Map<IncidentType, Double> thresholds = new EnumMap<>(IncidentType.class);
        config.detectors().forEach((type, d) -> d.threshold().ifPresent(t -> thresholds.put(type, t)));
        return thresholds;
    }

    /** Where the incident bridge keeps its RocksDB and evidence under {@code storage.dir}. */
    public static Path bridgeDir(VisionConfig config) {
        return config.storage().dir().resolve("bridge");
    }

    static BridgeOptions bridgeOptions(VisionConfig config, Path dir) {
        var incidents = config.incidents();
        var retention = config.storage().retention();
        BridgeOptions options = BridgeOptions.defaults(dir)
                .withMergeRadiusMeters(incidents.mergeRadiusMeters())
                .withCooldown(incidents.cooldown())
                .withRejectSuppression(incidents.rejectSuppression())
                .withDumpingMergeWindow(incidents.dumpingMergeWindow())
                .withRetention(RetentionOptions.of(retention.days(), retention.maxBytes()));
        if (config.delivery().kafka().isPresent()) {
            DeliveryConfig.Kafka kafka = config.delivery().kafka().get();
            options = options.withKafka(new KafkaOptions(kafka.bootstrap(), kafka.topic(),
                    KafkaOptions.DEFAULT_SOURCE, Map.of()));
        }
        if (config.delivery().open311().isPresent()) {
            options = options.withOpen311(open311(config.delivery().open311().get(), config));
        }
        return options;
    }

    private static Open311Options open311(DeliveryConfig.Open311 o, VisionConfig config) {
        Map<IncidentType, String> codes = new EnumMap<>(IncidentType.class);
        codes.putAll(Open311Options.defaultServiceCodes());
        codes.putAll(o.serviceCodes());
        IncidentState submitAt = o.submit() == DeliveryConfig.Submit.DETECTED
                ? IncidentState.DETECTED : IncidentState.CONFIRMED;
        // Without a public address for evidence, point at the console: the case system's staff can log in there.
        String mediaBase = o.mediaBaseUrl().orElse(
                "http://" + config.console().host() + ":" + config.console().port() + "/api/incidents");
        return new Open311Options(URI.create(o.endpoint()), o.apiKey().map(Secret::reveal).orElse(null), submitAt,
                codes, o.dispatchOnAccept(), mediaBase, o.timeout());
    }
}

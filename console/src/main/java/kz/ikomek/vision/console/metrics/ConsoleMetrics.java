package kz.ikomek.vision.console.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Incidents;
import kz.ikomek.vision.ingest.health.CameraHealth;
import kz.ikomek.vision.ingest.health.CameraState;

/**
 * The gauges the console can compute itself, refreshed right before each {@code /metrics} scrape:
 * {@code ikomek_incidents{state}}, {@code ikomek_cameras{state}} and {@code ikomek_frames_per_second} (the sum of
 * the cameras' measured rates). Other stages register their own meters on the same registry under the names
 * below, so one scrape shows the whole pipeline.
 */
public final class ConsoleMetrics {

    /** Timer the detectors record each batch's inference time on (Prometheus: ikomek_inference_seconds_*). */
    public static final String INFERENCE = "ikomek.inference";
    /** Gauge of outbox entries not yet delivered to Kafka / the case system. */
    public static final String DELIVERY_BACKLOG = "ikomek.delivery.backlog";

    private final Incidents incidents;
    private final Supplier<List<CameraHealth>> cameras;
    private final AtomicReference<Map<IncidentState, Integer>> incidentCounts =
            new AtomicReference<>(new EnumMap<>(IncidentState.class));
    private final AtomicReference<Map<CameraState, Integer>> cameraCounts =
            new AtomicReference<>(new EnumMap<>(CameraState.class));
    private volatile double framesPerSecond;

    public ConsoleMetrics(PrometheusMeterRegistry registry, Incidents incidents, Supplier<List<CameraHealth>> cameras) {
        this.incidents = incidents;
        this.cameras = cameras;
        for (IncidentState s : IncidentState.values()) {
            Gauge.builder("ikomek.incidents", () -> incidentCounts.get().getOrDefault(s, 0))
                    .tag("state", s.name()).description("incidents by state").register(registry);
        }
        for (CameraState s : CameraState.values()) {
            Gauge.builder("ikomek.cameras", () -> cameraCounts.get().getOrDefault(s, 0))
                    .tag("state", s.wireName()).description("camera sessions by state").register(registry);
        }
        Gauge.builder("ikomek.frames.per.second", () -> framesPerSecond)
                .description("frames per second delivered by all cameras together").register(registry);
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Recounts from the sources; blocking (reads RocksDB), so the scrape runs it on a worker. */
    public void refresh() {
        Map<IncidentState, Integer> byState = new EnumMap<>(IncidentState.class);
        for (Incident i : incidents.list(null, null)) {
            byState.merge(i.state(), 1, Integer::sum);
        }
        incidentCounts.set(byState);
        Map<CameraState, Integer> cams = new EnumMap<>(CameraState.class);
        double fps = 0;
        for (CameraHealth h : cameras.get()) {
            cams.merge(h.state(), 1, Integer::sum);
            fps += h.fps();
        }
        cameraCounts.set(cams);
        framesPerSecond = fps;
    }
}

package kz.ikomek.vision.app.standalone;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kz.ikomek.vision.bridge.CandidateIntake;
import kz.ikomek.vision.bridge.IncidentBridge;
import kz.ikomek.vision.bridge.Incidents;
import kz.ikomek.vision.bridge.cluster.ClusterBridge;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.console.ConsoleOptions;
import kz.ikomek.vision.console.ConsoleServer;
import kz.ikomek.vision.console.metrics.ConsoleMetrics;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.detectors.pipeline.DetectionPipeline;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.ingest.IngestOptions;
import kz.ikomek.vision.ingest.IngestService;
import kz.ikomek.vision.ingest.cluster.CameraGroup;
import kz.ikomek.vision.ingest.cluster.CameraHealthTopic;
import kz.ikomek.vision.ingest.cluster.WorkerId;
import kz.ikomek.vision.ingest.health.CameraHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM running everything (DESIGN.md "Standalone"): camera sessions → detectors → incident bridge (RocksDB,
 * delivery) → console. With a {@code cluster} section it is one worker of a cluster: the same pipeline, running
 * the cameras the camera group gives it ({@link ClusterCameras}) instead of every camera of the config, and
 * handing its candidates to the cluster's incident owner ({@link ClusterIncidents}). Started by {@code run} and
 * {@code demo}; {@link #close()} stops it in the reverse order so that no sample is left unclosed and no accepted
 * candidate is left unwritten.
 */
public final class StandaloneNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneNode.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    /** Standalone's bridge; null in cluster mode, where {@link #incidents} is the cluster bridge. */
    private final IncidentBridge bridge;
    private final Incidents incidents;
    private final IngestService ingest;
    private final DetectionPipeline pipeline;
    private final ConsoleServer console;
    private final CameraGroup cameraGroup;
    /** In cluster mode, every worker's camera health, so this console lists the whole cluster's cameras. */
    private final CameraHealthTopic clusterHealth;

    private StandaloneNode(VisionConfig config, List<User> extraUsers) {
        try {
            Path dir = config.storage().dir();
            Incidents incidents;
            CandidateIntake intake;
            WorkerId worker = WorkerId.ofThisProcess();
            if (config.cluster().isPresent()) {
                // The same decisions, made by whichever worker owns the place's partition (Kafka Streams).
                ClusterBridge clusterBridge = remember(ClusterIncidents.start(config, ConfigMapping.bridgeDir(config), worker));
                bridge = null;
                incidents = clusterBridge;
                intake = clusterBridge;
            } else {
                bridge = remember(IncidentBridge.open(ConfigMapping.bridgeOptions(config, ConfigMapping.bridgeDir(config))));
                incidents = bridge;
                intake = bridge;
            }
            this.incidents = incidents;

            SceneScorer scorer = remember(config.models().dir().map(SceneScorer::load).orElseGet(SceneScorer::loadDefault))
                    .overrideThresholds(ConfigMapping.thresholdOverrides(config));
            List<CameraSite> sites = config.cameras().stream().map(ConfigMapping::cameraSite).toList();
            pipeline = remember(DetectionPipeline.builder(scorer, c -> handOver(intake, c))
                    // A worker watches the zones of the cameras it is given, as it is given them.
                    .sites(config.cluster().isPresent() ? List.of() : sites)
                    .schedules(ConfigMapping.schedules(config))
                    .policies(ConfigMapping.trackerPolicies(config))
                    .onCleared(c -> intake.cleared(c.cameraId(), c.zoneId(), c.type(), c.lastSeen())
                            .exceptionally(e -> failedHandOver("clear of " + c.cameraId() + "/" + c.zoneId(), e)))
                    .onConfirming(this::hurry)
                    .busy(this::busy)
                    .build());

            ingest = remember(new IngestService(IngestOptions.defaults()));
            pipeline.start(ingest.ready()::take);
            if (config.cluster().isPresent()) {
                // The cameras this worker runs are its share of the camera group, not the config's list.
                cameraGroup = remember(ClusterCameras.join(config, worker, pipeline, ingest));
                clusterHealth = remember(CameraHealthTopic.start(config.cluster().get(), worker, ingest::health));
            } else {
                cameraGroup = null;
                clusterHealth = null;
                for (CameraConfig camera : config.cameras()) {
                    ingest.add(ConfigMapping.cameraSource(camera, config));
                }
            }

            Vertx vertx = Vertx.vertx();
            remember(() -> vertx.close().await());
            PrometheusMeterRegistry registry = ConsoleMetrics.newRegistry();
            registerMetrics(registry);
            ConsoleOptions fromConfig = ConsoleOptions.from(config.console(), dir.resolve("audit"));
            List<User> users = new ArrayList<>(fromConfig.users());
            users.addAll(extraUsers);
            console = remember(ConsoleServer.start(vertx, fromConfig.withUsers(users),
                    incidents, this::cameraHealth, registry, sites, this::workerOf));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts every stage; on failure stops what had started and rethrows. */
    public static StandaloneNode start(VisionConfig config, List<User> extraUsers) {
        return new StandaloneNode(config, extraUsers);
    }

    /** What the console reads and acts on: the local bridge, or in cluster mode the cluster's read model. */
    public Incidents incidents() {
        return incidents;
    }

    /** In cluster mode, this worker's share of the cameras; empty when standalone. */
    public Optional<CameraGroup> cameraGroup() {
        return Optional.ofNullable(cameraGroup);
    }

    /**
     * The cameras the console lists: this process's; in cluster mode also every other worker's, as they last
     * reported them (this worker's own older reports are left out: a camera it no longer runs is another's now).
     */
    private List<CameraHealth> cameraHealth() {
        List<CameraHealth> mine = ingest.health();
        if (clusterHealth == null) {
            return mine;
        }
        Set<String> here = new HashSet<>();
        mine.forEach(h -> here.add(h.cameraId()));
        List<CameraHealth> all = new ArrayList<>(mine);
        String me = cameraGroup.worker().id();
        for (CameraHealthTopic.Report r : clusterHealth.reports()) {
            if (!here.contains(r.health().cameraId()) && !r.worker().equals(me)) {
                all.add(r.health());
            }
        }
        all.sort(Comparator.comparing(CameraHealth::cameraId));
        return all;
    }

    /** The worker running a camera, for the console (null when standalone). */
    private String workerOf(String cameraId) {
        if (cameraGroup == null) {
            return null;
        }
        if (cameraGroup.runs(cameraId)) {
            return cameraGroup.worker().id();
        }
        return clusterHealth.report(cameraId).map(CameraHealthTopic.Report::worker).orElse(null);
    }

    public int consolePort() {
        return console.port();
    }

    /**
     * A positive being confirmed: its zone never waits, and goes on every keyframe for a while when its cadence is too
     * slow (called once the pipeline has started).
     */
    private void hurry(DetectionPipeline.Confirming c) {
        if (c.hurry()) {
            ingest.hurry(c.cameraId(), c.zoneId(), c.forHowLong());
        } else {
            ingest.protect(c.cameraId(), c.zoneId(), c.forHowLong());
        }
    }

    /** Looks wait for decode permits: slow detectors' looks may wait too (false until ingest has started). */
    private boolean busy() {
        IngestService i = ingest;
        return i != null && i.busy();
    }

    /**
     * Detection does not wait for the bridge's fsync (standalone) or the candidates topic's ack (cluster): the
     * candidate is handed over, and everything pending shares the next synced write. A malformed candidate still
     * throws here, at once.
     */
    private static void handOver(CandidateIntake intake, kz.ikomek.vision.detectors.Candidate c) {
        intake.submit(c).exceptionally(e -> failedHandOver("candidate " + c.eventId(), e));
    }

    private static Void failedHandOver(String what, Throwable e) {
        log.error("the incident bridge could not store the {}", what, e);
        return null;
    }

    /** What the pipeline and the bridge report on {@code /metrics}, besides the console's own gauges. */
    private void registerMetrics(PrometheusMeterRegistry registry) {
        if (bridge != null) {
            Gauge.builder(ConsoleMetrics.DELIVERY_BACKLOG, bridge,
                            b -> b.queued().values().stream().mapToInt(Integer::intValue).sum())
                    .description("outbox entries not yet delivered to Kafka / the case system").register(registry);
        }
        FunctionCounter.builder("ikomek.detector.samples", pipeline, p -> p.stats().samples())
                .description("frames analysed by the detectors").register(registry);
        FunctionCounter.builder("ikomek.detector.cpu.seconds", pipeline, p -> p.stats().cpuNanos() / 1e9)
                .description("CPU time spent in detection (pre-processing, inference, trackers)").register(registry);
        FunctionCounter.builder("ikomek.detector.candidates", pipeline, p -> p.stats().candidates())
                .description("candidates handed to the incident bridge").register(registry);
        FunctionCounter.builder("ikomek.detector.shed.looks", pipeline, p -> p.stats().shedLooks())
                .description("looks of slow detectors (snow, flood) put off because the machine was busy").register(registry);
        FunctionCounter.builder("ikomek.ingest.shed.looks", ingest, i -> i.load().shedLooks())
                .description("keyframe looks given up because the machine was busy (the zone stayed due)").register(registry);
        FunctionCounter.builder("ikomek.ingest.urgent.looks", ingest, i -> i.load().urgentLooks())
                .description("keyframe looks decoded ahead of routine ones (confirming trackers, vehicles in dumping zones)")
                .register(registry);
        Gauge.builder("ikomek.ingest.waiting.looks", ingest, i -> i.load().waiting())
                .description("looks waiting for a decode permit now (above 0: the machine is at its limit)").register(registry);
        for (CameraHealth camera : ingest.health()) {
            String id = camera.cameraId();
            Gauge.builder("ikomek.camera.lag.seconds", ingest,
                            i -> i.health(id).map(h -> h.lag().toMillis() / 1000.0).orElse(0.0))
                    .tag("camera", id).description("how far the camera is behind its cadence (its looks are shed)")
                    .register(registry);
            FunctionCounter.builder("ikomek.camera.shed.looks", ingest, i -> i.health(id).map(CameraHealth::shedLooks).orElse(0L))
                    .tag("camera", id).description("the camera's keyframe looks given up because the machine was busy")
                    .register(registry);
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.add(resource);
        return resource;
    }

    /** Console first (no new actions), then cameras, detectors, and last the bridge (its writes are durable). */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("stopping {} failed", started.get(i).getClass().getSimpleName(), e);
            }
        }
        started.clear();
    }
}

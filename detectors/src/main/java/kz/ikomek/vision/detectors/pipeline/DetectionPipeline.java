package kz.ikomek.vision.detectors.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.Observation;
import kz.ikomek.vision.detectors.evidence.EvidenceRenderer;
import kz.ikomek.vision.detectors.inference.PreparedFrame;
import kz.ikomek.vision.detectors.objects.ObjectDetector;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.schedule.DetectorSchedule;
import kz.ikomek.vision.detectors.track.DumpingPolicy;
import kz.ikomek.vision.detectors.track.DumpingTracker;
import kz.ikomek.vision.detectors.track.TrackerPolicy;
import kz.ikomek.vision.detectors.track.VehicleCheckBudget;
import kz.ikomek.vision.detectors.track.ZoneTracker;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.ingest.FrameSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames in, candidates out: for each sample, the detectors that are due (cadence, season) on each of the camera's
 * zones run on one shared pre-processed frame, their observations feed the per camera × zone × type trackers, and
 * raised candidates go to the sink (the incident bridge). Dumping zones go through the motion-gated
 * {@link DumpingTracker} instead. Every sample handed in is closed here.
 *
 * <pre>{@code
 * DetectionPipeline p = DetectionPipeline.builder(SceneScorer.loadDefault(), bridge::accept)
 *         .sites(sites).schedules(DetectorSchedule.defaultsWith(fromConfig)).build();
 * p.start(readySamples::take);          // worker threads pull batches of samples across cameras
 * ...
 * p.close();                            // stops the workers, frees tracker images (not the scorer)
 * }</pre>
 * Or push: {@link #process(List)} on the caller's thread. Batching across cameras happens in two places: a
 * worker's batch of samples is submitted together, and the model batcher merges the crops of all workers.
 */
public final class DetectionPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetectionPipeline.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Where samples come from: {@code ReadySamples::take} of ingest fits. */
    @FunctionalInterface
    public interface SampleSource {
        List<FrameSample> take(int max, Duration wait) throws InterruptedException;
    }

    /**
     * Counters for metrics and the benchmark. {@code confirmingLooks} is the part of {@code classifierLooks} made off
     * the cadence because a tracker was confirming a positive; {@code shedLooks} are looks of slow detectors (snow,
     * flood) put off because the machine was busy; {@code vehicleChecks} how often the object detector ran (only
     * where a large blob stopped in a dumping zone); {@code vehicleChecksPutOff} checks the budget put off to a later
     * look.
     */
    public record Stats(long samples, long classifierLooks, long confirmingLooks, long dumpingLooks, long candidates,
                        long cpuNanos, long shedLooks, long vehicleChecks, long vehicleChecksPutOff) {
    }

    /**
     * A zone must not wait, for {@code forHowLong}: the sample source should deliver it ahead of routine work and never
     * shed its looks. With {@code hurry} it also wants more samples than its cadence gives (e.g.
     * {@code IngestService.hurry}: every keyframe), else its cadence is enough ({@code IngestService.protect}). Sent when a
     * tracker begins confirming a positive (see {@link ZoneTracker#confirming()}): a hurry when the zone's cadence is too
     * slow for K looks within the type's {@code minDuration}, so that the time to raise is {@code minDuration}; and for
     * dumping, on every look while a vehicle is in the zone (its dwell and departure must be seen look by look).
     */
    public record Confirming(String cameraId, String zoneId, IncidentType type, Duration forHowLong, boolean hurry) {

        /** A hurry. */
        public Confirming(String cameraId, String zoneId, IncidentType type, Duration forHowLong) {
            this(cameraId, zoneId, type, forHowLong, true);
        }
    }

    /**
     * Added to {@code minDuration} in {@link Confirming#forHowLong()}: the hurry starts when the first positive has been
     * scored (a sample's wait in the mailbox and the model batch later than its capture), and the raise needs a look at
     * or after {@code minDuration}, one keyframe interval (≤ 2 s on our cameras) later at worst, or one more when a look
     * of the K of N was a miss. 5 s covers that; longer only costs decoding where the condition was a passing shadow.
     */
    static final Duration CONFIRMING_MARGIN = Duration.ofSeconds(5);

    /**
     * How long a dumping zone stays hurried after a look that saw a vehicle, or what it left, in it (renewed on each such
     * look): a little over two keyframe intervals, so one lost look does not drop the zone back to routine mid-event,
     * while a car that only passes costs a look or two, not ten (traffic crosses roadside zones all day).
     */
    static final Duration DUMPING_HOLD = Duration.ofSeconds(6);

    /**
     * Slow detectors whose looks wait while the machine is busy, and for how long at most past their due time: a snow
     * look can wait minutes, a flood look a couple of minutes. A look whose tracker is confirming never waits.
     */
    static final Map<IncidentType, Duration> MAY_WAIT = Map.of(IncidentType.SNOW, Duration.ofMinutes(5),
            IncidentType.FLOOD, Duration.ofMinutes(2));

    /**
     * A confirming zone whose cadence gives its K looks in under 1/4 of {@code minDuration} can lose looks to a busy
     * machine and still raise on time: not protected.
     */
    static final int CONFIRMING_SLACK = 4;

    /** A sample older than this when a detector takes it means the detectors are behind: busy. */
    static final Duration BEHIND = Duration.ofSeconds(2);

    private final SceneScorer scorer;
    private final Consumer<Candidate> sink;
    private final Consumer<ZoneTracker.Cleared> onCleared;
    private final Consumer<Confirming> onConfirming;
    private final BooleanSupplier busy;
    private final Map<IncidentType, DetectorSchedule> schedules;
    private final Map<IncidentType, TrackerPolicy> policies;
    private final DumpingPolicy dumpingPolicy;
    private final ZoneId cityTime;
    private final int workerCount;
    private final int batchSize;
    private final Map<String, CameraSite> sites = new ConcurrentHashMap<>();
    private final Map<String, CameraState> cameras = new ConcurrentHashMap<>();
    private final Map<IncidentType, ModelDetector> detectors = new EnumMap<>(IncidentType.class);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong classifierLooks = new AtomicLong();
    private final AtomicLong confirmingLooks = new AtomicLong();
    private final AtomicLong dumpingLooks = new AtomicLong();
    private final AtomicLong candidates = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicLong shedLooks = new AtomicLong();
    /**
     * Vehicle checks past the first try at a stop (retries at other scales): 2 a second, bursts of 10 (≈ 0.2 of a core
     * at ~90 ms each). At 1,000 cameras on two cores 528 checks in 80 s took half a core.
     */
    private final VehicleCheckBudget vehicleBudget = new VehicleCheckBudget(2, 10);

    private DetectionPipeline(Builder b) {
        this.scorer = b.scorer;
        this.sink = b.sink;
        this.onCleared = b.onCleared;
        this.onConfirming = b.onConfirming;
        this.busy = b.busy;
        this.schedules = DetectorSchedule.defaultsWith(b.schedules);
        this.policies = TrackerPolicy.defaultsWith(b.policies);
        this.dumpingPolicy = b.dumpingPolicy;
        this.cityTime = b.cityTime;
        this.workerCount = b.workers;
        this.batchSize = b.batchSize;
        b.sites.forEach(this::putSite);
        for (IncidentType t : scorer.types()) {
            detectors.put(t, new ModelDetector(t, scorer, sites::get));
        }
        if (scorer.types().contains(IncidentType.DUMPING) && scorer.objects().isEmpty()) {
            log.warn("no object detector (a model card of kind detections) to tell vehicles; dumping is off");
        }
    }

    public static Builder builder(SceneScorer scorer, Consumer<Candidate> sink) {
        return new Builder(scorer, sink);
    }

    /** Adds or replaces a camera (its zones may have changed: its trackers start over). */
    public void putSite(CameraSite site) {
        sites.put(site.cameraId(), site);
        CameraState old = cameras.put(site.cameraId(), new CameraState(site));
        if (old != null) {
            old.close();
        }
    }

    public void removeSite(String cameraId) {
        sites.remove(cameraId);
        CameraState old = cameras.remove(cameraId);
        if (old != null) {
            old.close();
        }
    }

    /** Starts the worker threads, each pulling batches of up to 32 samples (across cameras) from {@code source}. */
    public synchronized void start(SampleSource source) {
        if (running) {
            throw new IllegalStateException("already started");
        }
        running = true;
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(() -> pull(source), "detect-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    private void pull(SampleSource source) {
        while (running) {
            List<FrameSample> batch;
            try {
                batch = source.take(batchSize, Duration.ofMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!batch.isEmpty()) {
                process(batch, behind(batch));
            }
        }
    }

    /** Whether the oldest sample of a batch just taken waited longer than {@link #BEHIND}: the detectors are behind. */
    private static boolean behind(List<FrameSample> batch) {
        Instant now = Instant.now();
        for (FrameSample s : batch) {
            if (Duration.between(s.capturedAt(), now).compareTo(BEHIND) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Runs the due detectors on every sample, feeds the trackers, and closes the samples. Never throws. */
    public void process(List<FrameSample> batch) {
        process(batch, false);
    }

    private void process(List<FrameSample> batch, boolean behind) {
        boolean busyNow = behind || busy();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        List<Pending> pending = new ArrayList<>();
        try {
            for (FrameSample sample : batch) {
                samples.incrementAndGet();
                CameraState cam = cameras.get(sample.cameraId());
                if (cam == null) {
                    log.debug("sample of unknown camera {} dropped", sample.cameraId());
                    continue;
                }
                try {
                    pending.addAll(cam.look(sample, busyNow));
                } catch (DetectorException | RuntimeException e) {
                    log.warn("camera {}: detectors failed on a sample", sample.cameraId(), e);
                }
            }
            for (Pending p : pending) {
                try {
                    Observation o = ModelDetector.await(p.observation);
                    p.camera.track(o, p.sample, p.zone);
                } catch (DetectorException | RuntimeException e) {
                    log.warn("camera {} zone {}: {} failed", p.sample.cameraId(), p.zone.id(), p.type, e);
                }
            }
        } finally {
            batch.forEach(FrameSample::close);
            cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
        }
    }

    private boolean busy() {
        try {
            return busy.getAsBoolean();
        } catch (RuntimeException e) {
            log.warn("the busy signal failed", e);
            return false;
        }
    }

    public Stats stats() {
        return new Stats(samples.get(), classifierLooks.get(), confirmingLooks.get(), dumpingLooks.get(), candidates.get(),
                cpuNanos.get(), shedLooks.get(), scorer.objects().map(ObjectDetector::calls).orElse(0L),
                vehicleBudget.refused());
    }

    private void emit(Candidate c) {
        candidates.incrementAndGet();
        log.atInfo().addKeyValue("camera", c.cameraId()).addKeyValue("zone", c.zoneId()).addKeyValue("type", c.type())
                .log("candidate {} score {}", c.eventId(), String.format("%.2f", c.bestScore()));
        try {
            sink.accept(c);
        } catch (RuntimeException e) {
            log.error("the candidate sink failed on {}", c.eventId(), e);
        }
    }

    private record Pending(CameraState camera, FrameSample sample, Zone zone, IncidentType type,
                           CompletableFuture<Observation> observation) {
    }

    /** One camera's schedule bookkeeping and trackers; its samples are handled one at a time. */
    private final class CameraState implements AutoCloseable {
        private final CameraSite site;
        private final Map<String, Instant> nextDue = new HashMap<>();
        private final Map<String, ZoneTracker> trackers = new HashMap<>();
        private final Map<String, DumpingTracker> dumping = new HashMap<>();
        private final Map<String, Instant> lastTracked = new HashMap<>();

        CameraState(CameraSite site) {
            this.site = site;
        }

        synchronized List<Pending> look(FrameSample sample, boolean busyNow) throws DetectorException {
            List<Pending> out = new ArrayList<>();
            PreparedFrame frame = new PreparedFrame(sample.image());
            Instant at = sample.capturedAt();
            for (Zone zone : site.zones()) {
                boolean zoneDue = sample.dueZones().isEmpty() || sample.dueZones().contains(zone.id());
                for (IncidentType type : zone.types()) {
                    DetectorSchedule schedule = schedules.get(type);
                    String key = trackerKey(zone, type);
                    ZoneTracker tracker = trackers.get(key);
                    if (tracker != null && tracker.confirming()) {
                        confirmingLooks.incrementAndGet();   // off-cadence: a positive waits for its confirmation
                    } else if (!zoneDue || !schedule.due(nextDue.get(key), at, cityTime)) {
                        continue;
                    } else if (busyNow && mayWait(type, nextDue.get(key), at)) {
                        shedLooks.incrementAndGet();   // stays due: the next sample asks again
                        continue;
                    } else {
                        nextDue.put(key, schedule.after(nextDue.get(key), at));
                    }
                    if (type == IncidentType.DUMPING) {
                        lookForDumping(zone, sample);
                    } else if (detectors.containsKey(type)) {
                        classifierLooks.incrementAndGet();
                        out.add(new Pending(this, sample, zone, type, detectors.get(type).observe(frame, sample, zone, true)));
                    }
                }
            }
            return out;
        }

        private void lookForDumping(Zone zone, FrameSample sample) throws DetectorException {
            if (!scorer.types().contains(IncidentType.DUMPING) || scorer.objects().isEmpty()) {
                return;
            }
            dumpingLooks.incrementAndGet();
            ObjectDetector objects = scorer.objects().get();
            DumpingTracker t = dumping.computeIfAbsent(zone.id(), id -> new DumpingTracker(site, zone, dumpingPolicy,
                    (bgr, region) -> scorer.scoreRegion(bgr, region, IncidentType.DUMPING),
                    (bgr, region) -> objects.detect(bgr, region, DumpingTracker.VEHICLE_LABELS), vehicleBudget));
            t.observe(sample.capturedAt(), sample.image()).ifPresent(DetectionPipeline.this::emit);
            if (t.wantsEveryLook()) {
                // A vehicle in the zone, or what it left: every look counts now (its dwell, its leaving, the pile),
                // so the zone goes to every keyframe and ahead of routine looks, however busy the machine is.
                confirming(new Confirming(site.cameraId(), zone.id(), IncidentType.DUMPING, DUMPING_HOLD, true));
            }
        }

        /** A slow detector's look may wait while the machine is busy, unless it has waited its limit already. */
        private boolean mayWait(IncidentType type, Instant due, Instant at) {
            Duration limit = MAY_WAIT.get(type);
            return limit != null && due != null && Duration.between(due, at).compareTo(limit) < 0;
        }

        synchronized void track(Observation o, FrameSample sample, Zone zone) {
            String key = trackerKey(zone, o.type());
            Instant last = lastTracked.get(key);
            if (last != null && o.at().isBefore(last)) {
                // Two workers can hold two samples of this camera; the older one's inference finished last. The
                // tracker counts looks in time order, and the newer look already said what this one would.
                log.debug("camera {} zone {}: {} look at {} came after the one at {}; dropped", site.cameraId(),
                        zone.id(), o.type(), o.at(), last);
                return;
            }
            lastTracked.put(key, o.at());
            ZoneTracker t = trackers.computeIfAbsent(key,
                    k -> new ZoneTracker(site, zone.id(), o.type(), policies.get(o.type())));
            boolean wasConfirming = t.confirming();
            Optional<ZoneTracker.Change> change = t.observe(o,
                    () -> EvidenceRenderer.frame("frame", o.at(), sample.image(), zone, o.box()));
            if (!wasConfirming && t.confirming()) {
                confirmingStarted(zone, o.type());
            }
            change.ifPresent(c -> {
                if (c instanceof ZoneTracker.Raised r) {
                    emit(r.candidate());
                } else if (c instanceof ZoneTracker.Cleared cl) {
                    log.info("camera {} zone {}: {} cleared", cl.cameraId(), cl.zoneId(), cl.type());
                    onCleared.accept(cl);
                }
            });
        }

        /**
         * While a positive is confirmed: asks for more samples of the zone when its own cadence (the fastest of its
         * types', which is what ingest samples it at) gives fewer than K looks within {@code minDuration}; protects its
         * looks from being shed when the cadence gives them with less than {@link #CONFIRMING_SLACK} to spare; and
         * otherwise leaves it alone. A snow zone that also watches for manholes is sampled every 5 s: 3 looks take 10 s
         * of the 5 minutes snow must last, so its looks can be shed on a busy machine without delaying the incident,
         * and protecting every camera at the start of a snowfall would put all of them ahead of the dumping zones that
         * must catch a truck's arrival.
         */
        private void confirmingStarted(Zone zone, IncidentType type) {
            TrackerPolicy policy = policies.get(type);
            Duration cadence = zone.types().stream().map(t -> schedules.get(t).cadence())
                    .min(Duration::compareTo).orElseThrow();
            Duration looks = cadence.multipliedBy(policy.k() - 1L);
            boolean slow = looks.compareTo(policy.minDuration()) > 0;
            if (!slow && looks.multipliedBy(CONFIRMING_SLACK).compareTo(policy.minDuration()) <= 0) {
                return;
            }
            confirming(new Confirming(site.cameraId(), zone.id(), type, policy.minDuration().plus(CONFIRMING_MARGIN), slow));
        }

        private void confirming(Confirming c) {
            try {
                onConfirming.accept(c);
            } catch (RuntimeException e) {
                log.warn("camera {} zone {}: the confirming listener failed", site.cameraId(), c.zoneId(), e);
            }
        }

        private static String trackerKey(Zone zone, IncidentType type) {
            return zone.id() + "/" + type.wireName();
        }

        @Override
        public synchronized void close() {
            dumping.values().forEach(DumpingTracker::close);
            dumping.clear();
        }
    }

    /** Stops the workers (after their current batch) and frees the trackers' images; the scorer stays open. */
    @Override
    public void close() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cameras.values().forEach(CameraState::close);
    }

    public static final class Builder {
        private final SceneScorer scorer;
        private final Consumer<Candidate> sink;
        private Consumer<ZoneTracker.Cleared> onCleared = c -> { };
        private Consumer<Confirming> onConfirming = c -> { };
        private BooleanSupplier busy = () -> false;
        private List<CameraSite> sites = List.of();
        private Map<IncidentType, DetectorSchedule> schedules = Map.of();
        private Map<IncidentType, TrackerPolicy> policies = Map.of();
        private DumpingPolicy dumpingPolicy = DumpingPolicy.defaults();
        private ZoneId cityTime = DetectorSchedule.CITY_TIME;
        /**
         * As many as the cores, at least four. A worker spends most of a batch waiting, not computing: for the model
         * batcher (up to 50 ms for crops of other cameras to join, then the inference on the batcher's thread) and for
         * a vehicle check (the object detector, ~90 ms, in the worker that took the sample). Meanwhile the cameras whose
         * samples it holds cannot deliver another: a routine look is not decoded while the camera's last one waits
         * (CameraSession), so idle detectors starved ingest. bench e2e, 500 cameras, two against four workers (machine
         * otherwise idle): cameras on cadence 238 / 497, dumping raised 38 / 96 of 100, open manhole p95 35.6 / 24.8 s,
         * at 1.57 / 1.44 cores. With one worker every other camera's samples waited behind each vehicle check.
         */
        private int workers = Math.max(4, Runtime.getRuntime().availableProcessors());
        private int batchSize = 32;

        private Builder(SceneScorer scorer, Consumer<Candidate> sink) {
            this.scorer = scorer;
            this.sink = sink;
        }

        public Builder sites(List<CameraSite> sites) {
            this.sites = List.copyOf(sites);
            return this;
        }

        /** Per-type overrides of {@link DetectorSchedule#defaults()}. */
        public Builder schedules(Map<IncidentType, DetectorSchedule> overrides) {
            this.schedules = Map.copyOf(overrides);
            return this;
        }

        /** Per-type overrides of {@link TrackerPolicy#defaults()}. */
        public Builder policies(Map<IncidentType, TrackerPolicy> overrides) {
            this.policies = Map.copyOf(overrides);
            return this;
        }

        public Builder dumping(DumpingPolicy policy) {
            this.dumpingPolicy = policy;
            return this;
        }

        public Builder onCleared(Consumer<ZoneTracker.Cleared> listener) {
            this.onCleared = listener;
            return this;
        }

        /**
         * Called (on a detector thread, under the camera's lock: keep it short and non-blocking) when a zone must not
         * wait (see {@link Confirming}); wire it to {@code IngestService.hurry} when {@link Confirming#hurry()}, else
         * to {@code IngestService.protect}. Default: nothing.
         */
        public Builder onConfirming(Consumer<Confirming> listener) {
            this.onConfirming = listener;
            return this;
        }

        /**
         * Whether the machine is at its limit (e.g. {@code IngestService::busy}; any thread, never blocking): slow
         * detectors' looks then wait (see {@link #MAY_WAIT}). The pipeline also counts itself busy when the samples it
         * takes from its source ({@link #start}) are older than {@link #BEHIND}. Default: only that.
         */
        public Builder busy(BooleanSupplier busy) {
            this.busy = busy;
            return this;
        }

        public Builder cityTime(ZoneId zone) {
            this.cityTime = zone;
            return this;
        }

        /** Threads pulling from the source in {@link #start}; default the cores, at least four. */
        public Builder workers(int workers, int batchSize) {
            this.workers = workers;
            this.batchSize = batchSize;
            return this;
        }

        public DetectionPipeline build() {
            return new DetectionPipeline(this);
        }
    }
}

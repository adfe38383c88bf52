package kz.ikomek.vision.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kz.ikomek.vision.ingest.health.CameraHealth;
import kz.ikomek.vision.ingest.health.HealthTracker;
import kz.ikomek.vision.ingest.mailbox.Mailbox;
import kz.ikomek.vision.ingest.mailbox.ReadySamples;
import kz.ikomek.vision.ingest.session.CameraSession;
import kz.ikomek.vision.ingest.session.DecodeGate;
import kz.ikomek.vision.ingest.session.DecoderPool;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All camera sessions of this process. Cameras come and go with {@link #add}/{@link #remove}; decoded
 * samples wait in one latest-frame-wins mailbox per camera; {@link #ready()} hands a detector thread a
 * batch across cameras in one call.
 *
 * <pre>{@code
 * IngestService ingest = new IngestService(IngestOptions.defaults());
 * ingest.add(new CameraSource("cam-0001", url, subUrl, Map.of("road", Duration.ofSeconds(2))));
 * List<FrameSample> batch = ingest.ready().take(32, Duration.ofMillis(200)); // worker thread, not an event loop
 * try { detect(batch); } finally { batch.forEach(FrameSample::close); }
 * }</pre>
 *
 * Thread-safety: every method may be called from any thread. {@link #health()} and {@link #add} never
 * block (safe on a Vert.x event loop); {@link ReadySamples#take} and {@link #close()} do.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private record Camera(CameraSource source, CameraSession session, Mailbox mailbox, HealthTracker health) {}

    private final IngestOptions options;
    private final DecodeGate gate;
    private final DecoderPool decoders;
    private final ReadySamples ready = new ReadySamples();
    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    private final AtomicLong abandoned = new AtomicLong();
    private final ScheduledExecutorService watchdog;
    private volatile boolean closed;

    public IngestService(IngestOptions options) {
        loadNatives();
        this.options = options;
        this.gate = new DecodeGate(options.decodePermits());
        this.decoders = new DecoderPool(options.decodePermits(), options.maxWidth(), options.maxHeight());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::checkStalls, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Loads FFmpeg's and OpenCV's native libraries now (a second or more on a busy machine) rather than
     * inside the first session, where the watchdog would count it as a slow connect.
     */
    public static void loadNatives() {
        try {
            FFmpegFrameGrabber.tryLoad();
        } catch (FrameGrabber.Exception e) {
            throw new IllegalStateException("FFmpeg's native libraries do not load: " + e.getMessage(), e);
        }
        Loader.load(opencv_core.class);
        Loader.load(opencv_imgproc.class);
    }

    /** Starts a session for the camera. A camera id may be added once; remove it first to change it. */
    public void add(CameraSource source) {
        if (closed) {
            throw new IllegalStateException("ingest is closed");
        }
        Mailbox mailbox = new Mailbox(source.id(), ready::filled);
        HealthTracker health = new HealthTracker(source.id(), mailbox::dropped);
        CameraSession session = new CameraSession(source, options, gate, decoders, mailbox, health, abandoned);
        Camera camera = new Camera(source, session, mailbox, health);
        if (cameras.putIfAbsent(source.id(), camera) != null) {
            throw new IllegalArgumentException("camera " + source.id() + " is already added");
        }
        session.start();
    }

    /** Stops the camera's session and releases its waiting sample. Returns without waiting for the thread. */
    public boolean remove(String cameraId) {
        Camera camera = cameras.remove(cameraId);
        if (camera == null) {
            return false;
        }
        camera.session().stop();
        camera.mailbox().close();
        return true;
    }

    /**
     * Removes the camera and waits up to {@code timeout} for its thread to end (e.g. before re-adding
     * the same id with a new URL). False when the thread is still inside a native call at the deadline.
     */
    public boolean removeAndWait(String cameraId, Duration timeout) throws InterruptedException {
        Camera camera = cameras.get(cameraId);
        if (camera == null || !remove(cameraId)) {
            return true;
        }
        return camera.session().awaitStopped(timeout);
    }

    /** The cameras whose mailbox holds a sample: where detectors collect their batches. */
    public ReadySamples ready() {
        return ready;
    }

    /** One camera's mailbox (for a consumer that wants a single camera); empty if unknown. */
    public Optional<Mailbox> mailbox(String cameraId) {
        return Optional.ofNullable(cameras.get(cameraId)).map(Camera::mailbox);
    }

    /**
     * Samples the camera's zone on every keyframe for {@code forHowLong} instead of at its cadence, then back to the
     * cadence (a later deadline extends a hurry). For a detector confirming what it saw there: its time to raise is
     * then set by how long the condition must last, not by the cadence. Only keyframes are decoded when they suffice
     * for the cadences, hurry or not, so a camera with sparse keyframes is hurried to its keyframe interval. Never
     * blocks; any thread.
     *
     * @return false, quietly, when the camera or its zone is unknown (e.g. removed meanwhile)
     */
    public boolean hurry(String cameraId, String zoneId, Duration forHowLong) {
        Camera camera = cameras.get(cameraId);
        return camera != null && camera.session().hurry(zoneId, forHowLong);
    }

    /**
     * Keeps the zone's looks urgent for {@code forHowLong}: at its cadence, but never shed when the machine is busy and
     * ahead of routine looks (a zone whose tracker is confirming what it saw). Never blocks; any thread.
     *
     * @return false, quietly, when the camera or its zone is unknown
     */
    public boolean protect(String cameraId, String zoneId, Duration forHowLong) {
        Camera camera = cameras.get(cameraId);
        return camera != null && camera.session().protect(zoneId, forHowLong);
    }

    /** Counters of the shared decode permits: looks granted, urgent among them, and routine looks shed. */
    public record LoadCounters(long looks, long urgentLooks, long shedLooks, int waiting) {}

    public LoadCounters load() {
        return new LoadCounters(gate.grantedLooks(), gate.urgentLooks(), gate.shedLooks(), gate.waiting());
    }

    /**
     * True while looks wait for decode permits: the machine is at its limit, and work that can wait (a slow
     * detector's look) should. Never blocks.
     */
    public boolean busy() {
        return gate.waiting() > 0;
    }

    /** Health of every camera, ordered by id. */
    public List<CameraHealth> health() {
        List<CameraHealth> all = new ArrayList<>(cameras.size());
        for (Camera c : cameras.values()) {
            all.add(c.health().snapshot());
        }
        all.sort(Comparator.comparing(CameraHealth::cameraId));
        return all;
    }

    public Optional<CameraHealth> health(String cameraId) {
        return Optional.ofNullable(cameras.get(cameraId)).map(c -> c.health().snapshot());
    }

    /** Session threads the watchdog gave up on because they were stuck in native code. */
    public long abandonedSessions() {
        return abandoned.get();
    }

    /** Counters of one camera's session since it was added. */
    public record SessionCounters(long videoPackets, long decodedPackets, long samples) {}

    /** The camera's counters; zeros if unknown. */
    public SessionCounters counters(String cameraId) {
        Camera c = cameras.get(cameraId);
        if (c == null) {
            return new SessionCounters(0, 0, 0);
        }
        CameraSession s = c.session();
        return new SessionCounters(s.videoPackets(), s.decodedPackets(), s.decodedFrames());
    }

    public int size() {
        return cameras.size();
    }

    private void checkStalls() {
        long now = System.nanoTime();
        for (Camera c : cameras.values()) {
            try {
                c.session().checkStall(now);
            } catch (RuntimeException e) {
                log.atError().addKeyValue("camera", c.source().id()).setCause(e).log("watchdog check failed");
            }
        }
    }

    /**
     * Stops every session and waits up to the read timeout (plus a little) for their threads; threads
     * still stuck in native code are left behind (daemon threads) and logged.
     */
    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        List<Camera> all = new ArrayList<>(cameras.values());
        cameras.clear();
        for (Camera c : all) {
            c.session().stop();
            c.mailbox().close();
        }
        long deadline = System.nanoTime() + options.readTimeout().plusSeconds(2).toNanos();
        for (Camera c : all) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                if (!c.session().awaitStopped(Duration.ofNanos(left))) {
                    log.atWarn().addKeyValue("camera", c.source().id()).log("session thread still in native code at close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        decoders.close();     // a thread left in native code gives its decoder back to a closed pool, which frees it
    }
}

package kz.ikomek.vision.ingest.session;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import kz.ikomek.vision.config.Urls;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.FrameSample;
import kz.ikomek.vision.ingest.IngestOptions;
import kz.ikomek.vision.ingest.health.CameraState;
import kz.ikomek.vision.ingest.health.HealthTracker;
import kz.ikomek.vision.ingest.mailbox.Mailbox;
import kz.ikomek.vision.ingest.quality.PictureCheck;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera: a grab loop on its own platform thread (FFmpeg's reads block in native code, where a
 * virtual thread would pin its carrier), which connects, reads packets, decodes only what the cadence
 * needs (keyframes alone when they come often enough), and puts samples in the camera's mailbox.
 * Decoding and converting take a permit from the {@link DecodeGate} shared by all sessions, so CPU work stays
 * bounded by the cores however many cameras there are; when the machine is busy, routine looks are shed (the zone
 * stays due, the camera's lag grows and shows in its health) and urgent ones (hurried or protected zones) go first.
 *
 * <p>A stuck native call cannot be cancelled safely, so the watchdog ({@link #checkStall}) abandons the
 * thread instead: it bumps the generation (and trips the connection's {@link StopFlag}, so FFmpeg gives up, and the
 * old thread exits quietly whenever it returns) and starts a fresh thread. The same watchdog trips the flag when one
 * read (or the connect) outlives its deadline.
 */
public final class CameraSession {

    private static final Logger log = LoggerFactory.getLogger(CameraSession.class);
    private static final long CONNECT_GRACE_NANOS = 5_000_000_000L;
    private static final long MAX_PACE_NANOS = 5_000_000_000L;
    /**
     * A live stream read packet by packet as it arrives wakes its thread for every picture (the RTP packets of one come
     * together): at 1,000 cameras the kernel's context switches and polls were 62% of the process's CPU and decoding
     * 8% (perf). Once the session has caught up with the live edge it lets this much of the stream gather in the
     * socket's buffer (~200 KB for a 4 Mbit/s camera, well inside what TCP buffers), then reads it in one go without
     * blocking. 600 sessions on a loaded machine: 16 samples/s without the pause, 106 with 400 ms (at about the same
     * CPU), 117 with 1 s; 400 ms keeps the buffer small for cameras with fat streams. Far below any cadence: a look
     * comes at most this much after its keyframe.
     */
    static final long READ_PAUSE_NANOS = 400_000_000L;
    /** A packet read within this of the earliest arrival seen (relative to its timestamp) came live: caught up. */
    private static final long LIVE_EDGE_NANOS = 30_000_000L;

    private enum Phase { CONNECTING, STREAMING, WAITING }

    private final CameraSource source;
    private final IngestOptions options;
    private final DecodeGate gate;
    private final DecoderPool decoders;
    private final Mailbox mailbox;
    private final HealthTracker health;
    private final Backoff backoff;
    private final SamplingPlan plan;   // hurries go here; each thread streams with a fresh() copy
    private final String maskedUrl;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong decoderCalls = new AtomicLong();
    private final AtomicLong abandoned;
    private volatile boolean running;
    private volatile Phase phase = Phase.WAITING;
    private volatile long progressNanos = System.nanoTime();
    private volatile long readDeadlineNanos = Long.MAX_VALUE;
    private volatile Thread thread;
    private volatile StopFlag flag;     // of the connection being opened or read now; tripped to end it
    private long lastCheckT = Long.MIN_VALUE;   // stream time of the last picture check (session thread)
    private boolean liveEdge;                   // the last packet came live: pause before the next read

    /**
     * @param abandoned counts threads given up by the watchdog (shared by all sessions)
     */
    public CameraSession(CameraSource source, IngestOptions options, DecodeGate gate, DecoderPool decoders,
                         Mailbox mailbox, HealthTracker health, AtomicLong abandoned) {
        this.source = source;
        this.options = options;
        this.gate = gate;
        this.decoders = decoders;
        this.mailbox = mailbox;
        this.health = health;
        this.abandoned = abandoned;
        this.backoff = new Backoff(options.backoffInitial(), options.backoffMax(), options.healthyAfter(),
                new SplittableRandom());
        this.plan = new SamplingPlan(source.zoneCadences());
        this.maskedUrl = Urls.mask(source.streamUrl());
    }

    public String cameraId() {
        return source.id();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        spawn(generation.get(), Duration.ZERO);
    }

    /** Stops the loop; a thread inside a blocking read leaves when FFmpeg polls the interrupt callback or times out. */
    public synchronized void stop() {
        running = false;
        trip();
        Thread t = thread;
        if (t != null) {
            t.interrupt();   // wakes a backoff wait or a wait for a decode permit
        }
    }

    private void trip() {
        StopFlag f = flag;
        if (f != null) {
            f.trip();
        }
    }

    /** Waits for the current thread to finish; false if it is still inside native code after {@code timeout}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    /**
     * The zone is due on every keyframe for {@code forHowLong} (across reconnects), e.g. while a detector confirms
     * what it saw there; keyframes stay all that is decoded when they suffice. Any thread.
     *
     * @return false when the camera has no such zone
     */
    public boolean hurry(String zoneId, Duration forHowLong) {
        return plan.hurry(zoneId, forHowLong);
    }

    /** The zone's looks are urgent (never shed) for {@code forHowLong}, at its own cadence. Any thread. */
    public boolean protect(String zoneId, Duration forHowLong) {
        return plan.protect(zoneId, forHowLong);
    }

    /** Frames decoded and converted so far (all connections). */
    public long decodedFrames() {
        return decoded.get();
    }

    /** Video packets read so far (all connections). */
    public long videoPackets() {
        return packets.get();
    }

    /** Video packets handed to the decoder so far: equals the keyframes used while decoding keyframes only. */
    public long decodedPackets() {
        return decoderCalls.get();
    }

    /**
     * The watchdog's check: no sign of life for too long (connecting: connect timeout + 5 s; streaming:
     * the stall timeout) abandons the thread and starts a fresh one after a backoff wait.
     *
     * @return true when the session was replaced
     */
    public synchronized boolean checkStall(long nowNanos) {
        if (!running) {
            return false;
        }
        if (nowNanos - readDeadlineNanos > 0) {
            trip();     // one read (or the connect) outlived its deadline: FFmpeg returns at its next poll
        }
        Phase p = phase;
        long limit = switch (p) {
            case CONNECTING -> options.connectTimeout().toNanos() + CONNECT_GRACE_NANOS;
            case STREAMING -> options.stallTimeout().toNanos();
            case WAITING -> Long.MAX_VALUE;
        };
        long silent = nowNanos - progressNanos;
        if (silent <= limit) {
            return false;
        }
        int next = generation.incrementAndGet();
        abandoned.incrementAndGet();
        String error = maskedUrl + ": no data for " + Duration.ofNanos(silent).toSeconds() + " s while " + p.name().toLowerCase()
                + "; session replaced";
        health.failed(CameraState.STALLED, error);
        log.atWarn().addKeyValue("camera", source.id()).log("{}", error);
        trip();
        Thread old = thread;
        if (old != null) {
            old.interrupt();
        }
        phase = Phase.WAITING;
        progressNanos = nowNanos;
        spawn(next, backoff.next());
        return true;
    }

    private void spawn(int gen, Duration firstWait) {
        Thread t = new Thread(null, () -> run(gen, firstWait), "ingest-" + source.id(), options.threadStackBytes());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private boolean current(int gen) {
        return running && generation.get() == gen;
    }

    private void run(int gen, Duration firstWait) {
        SamplingPlan plan = this.plan.fresh();
        try (PictureCheck check = new PictureCheck(options.frozenAfter())) {
            Duration wait = firstWait;
            boolean first = true;
            while (current(gen)) {
                if (!wait.isZero() && !pause(wait, gen)) {
                    break;
                }
                if (!first) {
                    health.reconnecting();
                }
                first = false;
                phase = Phase.CONNECTING;
                progressNanos = System.nanoTime();
                health.connecting();
                long streamingSince = 0;
                CameraState failedState = CameraState.BACKOFF;
                StopFlag stop = new StopFlag();
                flag = stop;
                if (!current(gen)) {      // replaced or stopped before the flag could be tripped
                    stop.close();
                    break;
                }
                readDeadlineNanos = System.nanoTime() + options.connectTimeout().toNanos() + CONNECT_GRACE_NANOS;
                try (stop; StreamConnection conn = StreamConnection.open(source.streamUrl(), source.transport(),
                        options.connectTimeout(), options.readTimeout(), stop)) {
                    readDeadlineNanos = Long.MAX_VALUE;
                    if (!current(gen)) {
                        break;
                    }
                    streamingSince = System.nanoTime();
                    phase = Phase.STREAMING;
                    progressNanos = streamingSince;
                    health.state(CameraState.STREAMING);
                    log.atInfo().addKeyValue("camera", source.id()).log("streaming {} {} {}x{}", maskedUrl,
                            conn.codecName(), conn.width(), conn.height());
                    stream(conn, gen, plan, check);
                } catch (StreamException e) {
                    if (!current(gen)) {
                        break;
                    }
                    StreamFailure f = e.failure();
                    failedState = f == StreamFailure.LOST ? CameraState.BACKOFF : f.state();
                    health.failed(failedState, e.getMessage());
                    log.atWarn().addKeyValue("camera", source.id()).addKeyValue("failure", f)
                            .log("stream failed: {}", e.getMessage());
                } catch (RuntimeException | OutOfMemoryError e) {
                    // JavaCPP throws OutOfMemoryError when native memory passes its limit: a session must
                    // back off and retry, not let its thread die and the camera go dark for good.
                    if (!current(gen)) {
                        break;
                    }
                    health.failed(CameraState.BACKOFF, maskedUrl + ": " + Urls.mask(String.valueOf(e.getMessage())));
                    log.atError().addKeyValue("camera", source.id()).setCause(e).log("session failed");
                } finally {
                    readDeadlineNanos = Long.MAX_VALUE;
                }
                if (!current(gen)) {
                    break;
                }
                if (streamingSince != 0) {
                    backoff.streamedFor(Duration.ofNanos(System.nanoTime() - streamingSince));
                }
                wait = backoff.next();
                phase = Phase.WAITING;
                if (failedState == CameraState.BACKOFF) {
                    health.state(CameraState.BACKOFF);
                }
            }
        } finally {
            if (generation.get() != gen) {
                log.atInfo().addKeyValue("camera", source.id()).log("abandoned session thread returned");
            }
        }
    }

    /** Sleeps for a backoff wait; false when the session was stopped or replaced meanwhile. */
    private boolean pause(Duration wait, int gen) {
        phase = Phase.WAITING;
        long until = System.nanoTime() + wait.toNanos();
        long left;
        while (current(gen) && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            Thread.interrupted();   // stop() interrupts to wake us; the loop re-checks
        }
        return current(gen);
    }

    private void stream(StreamConnection conn, int gen, SamplingPlan plan, PictureCheck check) throws StreamException {
        plan.reset();
        check.reset();
        lastCheckT = Long.MIN_VALUE;
        liveEdge = false;
        double timeBase = conn.timeBase();
        boolean pace = options.paceFiles() && conn.isFile();
        boolean batchReads = !conn.isFile();
        long earliestArrival = Long.MAX_VALUE;    // least (wall clock - stream time) of any packet: the live edge
        long wallStart = System.nanoTime();
        long firstPts = AV_NOPTS_VALUE;
        long lastKeyT = -1;
        long keyInterval = 0;
        KeyframeInterval gop = new KeyframeInterval();
        boolean keyOnly = true;    // until two keyframes tell the interval
        boolean primed = false;    // full decoding has started at a keyframe
        long readTimeout = options.readTimeout().toNanos();
        // Decoding keyframes alone, a look borrows a decoder from the pool all sessions share: one per session between
        // looks would hold its picture pool (a few 640x360 pictures, which FFmpeg frees only with the decoder) for
        // every camera. A session's own decoder only while every packet is decoded, where each picture needs the ones
        // before it.
        PacketDecoder decoder = null;
        try {
            while (current(gen)) {
                readDeadlineNanos = System.nanoTime() + readTimeout;
                AVPacket p = conn.read();
                readDeadlineNanos = Long.MAX_VALUE;    // not reading: waiting for a permit or decoding is no stall
                long now = System.nanoTime();
                progressNanos = now;
                try {
                    if (!conn.isVideo(p)) {
                        continue;
                    }
                    health.packet(now);
                    packets.incrementAndGet();
                    long pts = p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
                    long t;
                    if (pts == AV_NOPTS_VALUE || timeBase == 0) {
                        t = now - wallStart;
                    } else {
                        if (firstPts == AV_NOPTS_VALUE) {
                            firstPts = pts;
                        }
                        t = (long) ((pts - firstPts) * timeBase * 1e9);
                    }
                    if (pace) {
                        long ahead = Math.min(MAX_PACE_NANOS, wallStart + t - now);
                        if (ahead > 0) {
                            LockSupport.parkNanos(ahead);
                            progressNanos = System.nanoTime();
                        }
                    } else if (batchReads && pts != AV_NOPTS_VALUE) {
                        // The edge may creep later by a millisecond a packet, so a sender whose clock runs slow
                        // (arrivals drifting later) is still seen catching up.
                        long arrival = now - wallStart - t;
                        earliestArrival = earliestArrival == Long.MAX_VALUE ? arrival : Math.min(arrival, earliestArrival + 1_000_000L);
                        liveEdge = arrival - earliestArrival < LIVE_EDGE_NANOS;
                    }
                    boolean key = (p.flags() & AV_PKT_FLAG_KEY) != 0;
                    if (key) {
                        if (lastKeyT >= 0 && t > lastKeyT) {
                            keyInterval = gop.add(t - lastKeyT);
                            health.keyframeInterval(Duration.ofNanos(keyInterval));
                        }
                        lastKeyT = t;
                        boolean suffice = keyInterval == 0 || plan.keyframesSuffice(keyInterval);
                        if (suffice != keyOnly) {
                            keyOnly = suffice;
                            if (decoder != null) {
                                decoder.close();
                                decoder = null;
                            }
                            primed = false;
                        }
                    }
                    Set<String> due = plan.dueAt(t, key);
                    if (key) {
                        health.lag(plan.lagNanos(t));
                    }
                    if (keyOnly) {
                        // Non-key packets, and keyframes nobody is waiting for, are never decoded.
                        if (key && !due.isEmpty() && acquire(plan, due, t)) {
                            PacketDecoder once = null;
                            boolean clean = false;
                            try {
                                once = decoders.take(conn.video());
                                decoderCalls.incrementAndGet();
                                if (once.decodeKeyframe(p)) {
                                    publish(once, due, t, plan, check);
                                }
                                clean = true;
                            } finally {
                                if (once != null) {
                                    decoders.give(once, clean);
                                }
                                gate.release();
                            }
                        }
                    } else if (primed || key) {
                        // Decoding every packet: each one is needed for the pictures after it, so none is shed.
                        primed = true;
                        if (decoder == null) {
                            decoder = new PacketDecoder(conn.video(), options.maxWidth(), options.maxHeight());
                        }
                        if (acquireUrgent()) {
                            try {
                                decoderCalls.incrementAndGet();
                                if (decoder.decode(p) && !due.isEmpty()) {
                                    publish(decoder, due, t, plan, check);
                                }
                            } finally {
                                gate.release();
                            }
                        }
                    }
                } finally {
                    conn.unref();
                }
                if (liveEdge) {
                    liveEdge = false;
                    LockSupport.parkNanos(this, READ_PAUSE_NANOS);   // stop() interrupts it
                    progressNanos = System.nanoTime();
                }
            }
        } finally {
            if (decoder != null) {
                decoder.close();
            }
        }
    }

    /**
     * A permit for a keyframe look at these due zones: urgent when one of them is hurried or protected, else routine
     * and shed (counted in the camera's health) when the machine is too busy to give it one within the patience.
     */
    private boolean acquire(SamplingPlan plan, Set<String> due, long t) {
        DecodeGate.Priority priority = plan.urgent(due) ? DecodeGate.Priority.URGENT : DecodeGate.Priority.ROUTINE;
        if (priority == DecodeGate.Priority.ROUTINE && mailbox.waiting()) {
            // The detectors have not taken this camera's last look yet: a new one would only replace it (a dropped
            // frame, decoded for nothing). At 500 cameras on two cores three of four decoded looks were dropped so,
            // while the decoding took the cores the detectors lacked. Shed like a look the gate refused; the zone
            // stays due. An urgent look still replaces the waiting one: it is the fresher picture that matters.
            health.shed();
            return false;
        }
        try {
            if (gate.acquire(priority, plan.overdue(due, t), options.lookPatience().toNanos())) {
                return true;
            }
            health.shed();
            return false;
        } catch (InterruptedException e) {
            return false;   // stopped or abandoned; the loop condition ends the stream
        }
    }

    private boolean acquireUrgent() {
        try {
            return gate.acquire(DecodeGate.Priority.URGENT, 0, 0);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void publish(PacketDecoder decoder, Set<String> due, long t, SamplingPlan plan, PictureCheck check) {
        Mat bgr = decoder.toBgr();
        CameraState picture = null;
        if (lastCheckT == Long.MIN_VALUE || t - lastCheckT >= options.pictureCheckEvery().toNanos() || t < lastCheckT) {
            try {
                picture = check.check(bgr, t);
            } catch (RuntimeException e) {
                bgr.close();
                throw e;
            }
            lastCheckT = t;
        }
        Instant at = Instant.now();
        decoded.incrementAndGet();
        health.frame(at, picture);
        plan.taken(due, t);
        mailbox.offer(new FrameSample(source.id(), at, bgr, Set.copyOf(due)));
    }
}

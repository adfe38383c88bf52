package kz.ikomek.vision.ingest.health;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/** One camera's live health, written by its session thread and read by anyone (snapshots). */
public final class HealthTracker {

    private static final long FPS_WINDOW_NANOS = 2_000_000_000L;

    private final String cameraId;
    private final LongSupplier dropped;
    private volatile CameraState state = CameraState.CONNECTING;
    private volatile Instant lastFrameAt;
    private volatile double fps;
    private volatile Duration keyframeInterval;
    private volatile long reconnects;
    private volatile String lastError;
    private volatile long lagNanos;
    private volatile long shedLooks;
    private long windowStart;
    private int windowPackets;

    /** @param dropped how many samples the camera's mailbox dropped so far */
    public HealthTracker(String cameraId, LongSupplier dropped) {
        this.cameraId = cameraId;
        this.dropped = dropped;
    }

    public CameraHealth snapshot() {
        return new CameraHealth(cameraId, state, lastFrameAt, fps, keyframeInterval, reconnects, dropped.getAsLong(), lastError,
                Duration.ofNanos(lagNanos), shedLooks);
    }

    public CameraState state() {
        return state;
    }

    public void state(CameraState next) {
        state = next;
    }

    /** A failure, message already masked. */
    public void failed(CameraState next, String maskedError) {
        state = next;
        lastError = maskedError;
    }

    public void reconnecting() {
        reconnects++;
    }

    /** A sample was taken; {@code picture} is what its check said, null when this sample was not checked. */
    public void frame(Instant at, CameraState picture) {
        lastFrameAt = at;
        if (picture != null) {
            state = picture;
        }
    }

    /** A video packet arrived at {@code nanoTime}; keeps the delivered frame rate over a 2 s window. */
    public void packet(long nanoTime) {
        if (windowPackets == 0) {
            windowStart = nanoTime;
        }
        windowPackets++;
        long span = nanoTime - windowStart;
        if (span >= FPS_WINDOW_NANOS) {
            fps = Math.round((windowPackets - 1) * 1e10 / span) / 10.0;
            windowPackets = 0;
        }
    }

    /** How far behind its cadence the camera is (stream time), as of its last keyframe. */
    public void lag(long nanos) {
        lagNanos = Math.max(0, nanos);
    }

    /** A look was given up because the machine was busy. Written by the session thread only. */
    public void shed() {
        shedLooks++;
    }

    public void keyframeInterval(Duration interval) {
        keyframeInterval = interval;
    }

    /** A new connection: rates measured on the old one no longer hold. */
    public void connecting() {
        state = CameraState.CONNECTING;
        windowPackets = 0;
    }
}

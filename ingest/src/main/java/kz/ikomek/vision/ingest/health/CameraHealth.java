package kz.ikomek.vision.ingest.health;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one camera's session, for the console and metrics.
 *
 * @param cameraId         the camera's configured id
 * @param state            what the session is doing now
 * @param lastFrameAt      when the last frame was decoded; null before the first one
 * @param fps              video packets per second the stream delivered recently (0 when unknown)
 * @param keyframeInterval time between keyframes as measured on the stream; null until two were seen
 * @param reconnects       how many times the session had to reopen the stream
 * @param framesDropped    samples replaced in the mailbox before a detector took them
 * @param lastError        the last failure, credentials masked; null when there was none
 * @param lag              how far the camera is behind its cadence at its last keyframe (0 when on time): grows while
 *                         its looks are shed because the machine is busy
 * @param shedLooks        looks given up so far because the machine was busy (the zone stayed due for the next
 *                         keyframe)
 */
public record CameraHealth(String cameraId, CameraState state, Instant lastFrameAt, double fps,
                           Duration keyframeInterval, long reconnects, long framesDropped, String lastError,
                           Duration lag, long shedLooks) {

    /** A camera that keeps its cadence (no lag, nothing shed). */
    public CameraHealth(String cameraId, CameraState state, Instant lastFrameAt, double fps, Duration keyframeInterval,
                        long reconnects, long framesDropped, String lastError) {
        this(cameraId, state, lastFrameAt, fps, keyframeInterval, reconnects, framesDropped, lastError, Duration.ZERO, 0);
    }
}

package kz.ikomek.vision.ingest;

import java.time.Duration;

/**
 * How ingest runs its sessions. Start from {@link #defaults()} and change what differs.
 *
 * @param maxWidth         frames are scaled down (never up) to fit maxWidth x maxHeight, keeping the aspect
 * @param maxHeight        see maxWidth
 * @param connectTimeout   longest a stream may take to open (TCP, RTSP handshake, codec probe)
 * @param readTimeout      longest one socket read may block once streaming
 * @param stallTimeout     no packet for this long while streaming: the watchdog abandons and replaces the session
 * @param decodePermits    how many sessions may decode/convert at once (CPU work is bounded by the cores)
 * @param backoffInitial   first wait after a failure
 * @param backoffMax       the cap of the exponential backoff
 * @param healthyAfter     streaming this long resets the backoff to its initial value
 * @param paceFiles        read file sources at their frame rate (a file then behaves like a camera)
 * @param threadStackBytes stack size of each session's grab thread (hundreds of them: keep it small)
 * @param frozenAfter      the picture must stay the same this long (stream time) before the camera is frozen
 * @param lookPatience     longest a routine look waits for a decode permit before it is shed (the machine is busy;
 *                         the zone stays due for the next keyframe); urgent looks wait as long as it takes
 * @param pictureCheckEvery the picture check (frozen, black, covered) runs on one sample per this much stream time: a
 *                         camera's health does not change from keyframe to keyframe, and checking every sample was 9%
 *                         of the CPU at 300 cameras (perf)
 */
public record IngestOptions(int maxWidth, int maxHeight, Duration connectTimeout, Duration readTimeout,
                            Duration stallTimeout, int decodePermits, Duration backoffInitial, Duration backoffMax,
                            Duration healthyAfter, boolean paceFiles, long threadStackBytes, Duration frozenAfter,
                            Duration lookPatience, Duration pictureCheckEvery) {

    public IngestOptions {
        if (maxWidth < 16 || maxHeight < 16) {
            throw new IllegalArgumentException("analytics size must be at least 16x16, got " + maxWidth + "x" + maxHeight);
        }
        if (decodePermits < 1) {
            throw new IllegalArgumentException("decodePermits must be at least 1, got " + decodePermits);
        }
        for (Duration d : new Duration[] {connectTimeout, readTimeout, stallTimeout, backoffInitial, backoffMax, healthyAfter,
            frozenAfter, lookPatience, pictureCheckEvery}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("ingest durations must be positive, got " + d);
            }
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffInitial " + backoffInitial);
        }
    }

    /**
     * 640x360 analytics, 10 s timeouts, 20 s stall, one decode per core, backoff 1 s .. 60 s, frozen after 2 minutes
     * of the same picture, a routine look shed after waiting 300 ms for a permit (well within a keyframe interval, so
     * the session is back to reading before the next keyframe arrives), the picture checked every 10 s.
     */
    public static IngestOptions defaults() {
        return new IngestOptions(640, 360, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), true, 256 * 1024, Duration.ofMinutes(2), Duration.ofMillis(300),
                Duration.ofSeconds(10));
    }

    public IngestOptions withTimeouts(Duration connect, Duration read, Duration stall) {
        return new IngestOptions(maxWidth, maxHeight, connect, read, stall, decodePermits, backoffInitial, backoffMax,
                healthyAfter, paceFiles, threadStackBytes, frozenAfter, lookPatience, pictureCheckEvery);
    }

    public IngestOptions withBackoff(Duration initial, Duration max, Duration healthy) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, decodePermits, initial, max,
                healthy, paceFiles, threadStackBytes, frozenAfter, lookPatience, pictureCheckEvery);
    }

    public IngestOptions withSize(int width, int height) {
        return new IngestOptions(width, height, connectTimeout, readTimeout, stallTimeout, decodePermits, backoffInitial,
                backoffMax, healthyAfter, paceFiles, threadStackBytes, frozenAfter, lookPatience, pictureCheckEvery);
    }

    public IngestOptions withDecodePermits(int permits) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, permits, backoffInitial,
                backoffMax, healthyAfter, paceFiles, threadStackBytes, frozenAfter, lookPatience, pictureCheckEvery);
    }

    public IngestOptions withLookPatience(Duration patience) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, decodePermits,
                backoffInitial, backoffMax, healthyAfter, paceFiles, threadStackBytes, frozenAfter, patience, pictureCheckEvery);
    }

    public IngestOptions withPictureCheck(Duration every, Duration frozenAfter) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, decodePermits,
                backoffInitial, backoffMax, healthyAfter, paceFiles, threadStackBytes, frozenAfter, lookPatience, every);
    }

    public IngestOptions withPaceFiles(boolean pace) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, decodePermits,
                backoffInitial, backoffMax, healthyAfter, pace, threadStackBytes, frozenAfter, lookPatience, pictureCheckEvery);
    }
}

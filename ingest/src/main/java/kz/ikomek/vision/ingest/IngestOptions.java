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
 */
public record IngestOptions(int maxWidth, int maxHeight, Duration connectTimeout, Duration readTimeout,
                            Duration stallTimeout, int decodePermits, Duration backoffInitial, Duration backoffMax,
                            Duration healthyAfter, boolean paceFiles, long threadStackBytes) {

    public IngestOptions {
        if (maxWidth < 16 || maxHeight < 16) {
            throw new IllegalArgumentException("analytics size must be at least 16x16, got " + maxWidth + "x" + maxHeight);
        }
        if (decodePermits < 1) {
            throw new IllegalArgumentException("decodePermits must be at least 1, got " + decodePermits);
        }
        for (Duration d : new Duration[] {connectTimeout, readTimeout, stallTimeout, backoffInitial, backoffMax, healthyAfter}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("ingest durations must be positive, got " + d);
            }
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffInitial " + backoffInitial);
        }
    }

    /** 640x360 analytics, 10 s timeouts, 20 s stall, one decode per core, backoff 1 s .. 60 s. */
    public static IngestOptions defaults() {
        return new IngestOptions(640, 360, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), true, 256 * 1024);
    }

    public IngestOptions withTimeouts(Duration connect, Duration read, Duration stall) {
        return new IngestOptions(maxWidth, maxHeight, connect, read, stall, decodePermits, backoffInitial, backoffMax,
                healthyAfter, paceFiles, threadStackBytes);
    }

    public IngestOptions withBackoff(Duration initial, Duration max, Duration healthy) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, decodePermits, initial, max,
                healthy, paceFiles, threadStackBytes);
    }

    public IngestOptions withSize(int width, int height) {
        return new IngestOptions(width, height, connectTimeout, readTimeout, stallTimeout, decodePermits, backoffInitial,
                backoffMax, healthyAfter, paceFiles, threadStackBytes);
    }

    public IngestOptions withDecodePermits(int permits) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, permits, backoffInitial,
                backoffMax, healthyAfter, paceFiles, threadStackBytes);
    }

    public IngestOptions withPaceFiles(boolean pace) {
        return new IngestOptions(maxWidth, maxHeight, connectTimeout, readTimeout, stallTimeout, decodePermits,
                backoffInitial, backoffMax, healthyAfter, pace, threadStackBytes);
    }
}

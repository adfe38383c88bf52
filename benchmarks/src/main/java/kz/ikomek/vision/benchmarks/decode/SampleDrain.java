package kz.ikomek.vision.benchmarks.decode;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import kz.ikomek.vision.ingest.FrameSample;
import kz.ikomek.vision.ingest.IngestService;

/**
 * Stands in for the detectors: one thread that takes batches of ready samples across cameras, counts them and
 * releases them at once, so the sessions' own cost is what gets measured.
 */
final class SampleDrain implements AutoCloseable {

    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    SampleDrain(IngestService ingest) {
        thread = new Thread(() -> {
            while (running) {
                try {
                    for (FrameSample s : ingest.ready().take(64, Duration.ofMillis(200))) {
                        samples.incrementAndGet();
                        s.close();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-detector");
        thread.start();
    }

    /** Samples taken so far. */
    long samples() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}

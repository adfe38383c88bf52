package kz.ikomek.vision.ingest.mailbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.ingest.FrameSample;

/**
 * The cameras whose mailbox holds a sample, in the order they filled. A detector thread collects a
 * batch across many cameras with one call, without scanning every mailbox.
 */
public final class ReadySamples {

    private final LinkedBlockingQueue<Mailbox> filled = new LinkedBlockingQueue<>();

    /** Called by a mailbox when its slot goes from empty to full. */
    public void filled(Mailbox mailbox) {
        filled.add(mailbox);
    }

    /**
     * Waits up to {@code wait} for the first ready sample, then takes whatever else is ready, up to
     * {@code max} in all. The caller owns (and closes) every sample returned. Empty on timeout.
     */
    public List<FrameSample> take(int max, Duration wait) throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        List<FrameSample> batch = new ArrayList<>(Math.min(max, 64));
        long deadline = System.nanoTime() + wait.toNanos();
        while (batch.isEmpty()) {
            long left = deadline - System.nanoTime();
            Mailbox first = left > 0 ? filled.poll(left, TimeUnit.NANOSECONDS) : filled.poll();
            if (first == null) {
                return batch;
            }
            addFrom(first, batch);
            Mailbox next;
            while (batch.size() < max && (next = filled.poll()) != null) {
                addFrom(next, batch);
            }
        }
        return batch;
    }

    /** How many cameras are queued as ready (some may have been emptied since). */
    public int size() {
        return filled.size();
    }

    private static void addFrom(Mailbox mailbox, List<FrameSample> batch) {
        FrameSample sample = mailbox.take();   // null when the camera was removed after it filled
        if (sample != null) {
            batch.add(sample);
        }
    }
}

package kz.ikomek.vision.ingest.mailbox;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import kz.ikomek.vision.ingest.FrameSample;

/**
 * One camera's latest-frame-wins slot: a slow detector sees the newest frame and stale ones are
 * closed (native memory) and counted, so memory never grows with the backlog.
 */
public final class Mailbox {

    private final String cameraId;
    private final AtomicReference<FrameSample> slot = new AtomicReference<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Consumer<Mailbox> onFilled;
    private volatile boolean closed;

    /** @param onFilled told once each time the slot goes from empty to full (the shared ready queue) */
    public Mailbox(String cameraId, Consumer<Mailbox> onFilled) {
        this.cameraId = cameraId;
        this.onFilled = onFilled;
    }

    public String cameraId() {
        return cameraId;
    }

    /** Puts the newest sample in the slot; the mailbox owns it from now on. */
    public void offer(FrameSample sample) {
        if (closed) {
            sample.close();
            return;
        }
        FrameSample older = slot.getAndSet(sample);
        if (older != null) {
            older.close();
            dropped.incrementAndGet();
        } else {
            onFilled.accept(this);
        }
        if (closed) {          // close() raced with us: nobody will take it any more
            drain();
        }
    }

    /** The newest sample, or null when none is waiting. The caller owns (and closes) it. */
    public FrameSample take() {
        return slot.getAndSet(null);
    }

    /** Whether a sample waits for the detectors: they have not taken the last one yet. */
    public boolean waiting() {
        return slot.get() != null;
    }

    public long dropped() {
        return dropped.get();
    }

    /** No more samples; the one waiting is released. */
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        FrameSample left = slot.getAndSet(null);
        if (left != null) {
            left.close();
        }
    }
}

package kz.ikomek.vision.ingest.session;

import org.bytedeco.javacpp.BytePointer;

/**
 * One connection's stop signal for FFmpeg, read by native code alone (see {@link InterruptGate}): an empty C string
 * until {@link #trip()} makes it "x", whose length FFmpeg's interrupt callback then reports. Owned by the thread that
 * opens the connection (it closes the flag after the connection); any thread may trip it, also after it closed.
 */
public final class StopFlag implements AutoCloseable {

    private final BytePointer bytes = new BytePointer(2);
    private boolean closed;

    public StopFlag() {
        bytes.put(0, (byte) 0).put(1, (byte) 0);
    }

    BytePointer pointer() {
        return bytes;
    }

    /** Makes every blocking FFmpeg call on this connection return; a no-op once closed. */
    public synchronized void trip() {
        if (!closed) {
            bytes.put(0, (byte) 'x');
        }
    }

    public synchronized boolean tripped() {
        return !closed && bytes.get(0) != 0;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            bytes.close();
        }
    }
}

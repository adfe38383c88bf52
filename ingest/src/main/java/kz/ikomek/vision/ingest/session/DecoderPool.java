package kz.ikomek.vision.ingest.session;

import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.BytePointer;

/**
 * Keyframe decoders that outlive one look, shared by all sessions. Opening a decoder for each look (as sessions did)
 * and freeing it after cost more than decoding the keyframe: at 1,000 cameras perf showed malloc, free and the
 * kernel zeroing freshly mapped pages (the decoder's picture pool, the scaler's tables) beside libavcodec's own work.
 * A decoder only ever holds one look's state (each keyframe is decoded on its own and the decoder flushed), so the next
 * look of any camera whose stream has the same parameters (codec, size, pixel format, and the parameter sets of its
 * SDP, the extradata) can use it. At most {@code capacity} idle decoders are kept (the decode permits bound how many
 * are in use at once), the longest idle closed first; nothing per camera.
 *
 * <p>Thread-safe.
 */
public final class DecoderPool implements AutoCloseable {

    private record Idle(String key, PacketDecoder decoder) {
    }

    private final int capacity;
    private final int maxWidth;
    private final int maxHeight;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    public DecoderPool(int capacity, int maxWidth, int maxHeight) {
        if (capacity < 1) {
            throw new IllegalArgumentException("decoder pool capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
    }

    /** A decoder for this stream's keyframes: an idle one of the same parameters, else a new one. Give it back. */
    public PacketDecoder take(AVStream stream) throws StreamException {
        String key = key(stream.codecpar());
        synchronized (this) {
            for (Iterator<Idle> it = idle.descendingIterator(); it.hasNext(); ) {
                Idle i = it.next();
                if (i.key.equals(key)) {
                    it.remove();
                    return i.decoder;
                }
            }
        }
        return new PacketDecoder(stream, maxWidth, maxHeight, key);
    }

    /**
     * Returns a decoder after a look: kept for the next one when {@code reusable} (the look went through; after an
     * error its state is unknown, so it is closed), the longest idle closed when more than {@code capacity} wait.
     */
    public void give(PacketDecoder decoder, boolean reusable) {
        PacketDecoder evicted = null;
        synchronized (this) {
            if (reusable && !closed && decoder.poolKey() != null) {
                idle.addLast(new Idle(decoder.poolKey(), decoder));
                decoder = null;
                if (idle.size() > capacity) {
                    evicted = idle.removeFirst().decoder;
                }
            }
        }
        if (decoder != null) {
            decoder.close();
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    /** Decoders waiting for a look now. */
    public synchronized int idle() {
        return idle.size();
    }

    @Override
    public void close() {
        Deque<Idle> all;
        synchronized (this) {
            closed = true;
            all = new ArrayDeque<>(idle);
            idle.clear();
        }
        all.forEach(i -> i.decoder.close());
    }

    private static String key(AVCodecParameters p) {
        StringBuilder k = new StringBuilder().append(p.codec_id()).append(' ').append(p.width()).append('x')
                .append(p.height()).append(' ').append(p.format()).append(' ');
        int size = p.extradata_size();
        BytePointer extra = p.extradata();
        if (size > 0 && extra != null && !extra.isNull()) {
            byte[] bytes = new byte[size];
            extra.capacity(size).get(bytes);
            k.append(Base64.getEncoder().encodeToString(bytes));
        }
        return k.toString();
    }
}

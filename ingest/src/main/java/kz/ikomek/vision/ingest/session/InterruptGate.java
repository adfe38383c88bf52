package kz.ikomek.vision.ingest.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback for every open stream. FFmpeg polls it inside blocking I/O; answering 1
 * makes the call return AVERROR_EXIT. One native callback serves all sessions (JavaCPP callbacks are
 * native thunks, not something to create per camera); the opaque pointer tells the streams apart.
 */
final class InterruptGate {

    private static final Map<Long, BooleanSupplier> STOPS = new ConcurrentHashMap<>();

    private static final AVIOInterruptCB.Callback_Pointer CALLBACK = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            BooleanSupplier stop = opaque == null ? null : STOPS.get(opaque.address());
            return stop != null && stop.getAsBoolean() ? 1 : 0;
        }
    };

    static {
        CALLBACK.retainReference();   // lives as long as the process: native code may call it at any time
    }

    private InterruptGate() {
    }

    /**
     * Installs the callback on an opened context. Returns the token to pass to {@link #remove} after the
     * context is closed.
     */
    static BytePointer install(AVFormatContext context, BooleanSupplier stop) {
        BytePointer token = new BytePointer(1);
        STOPS.put(token.address(), stop);
        AVIOInterruptCB cb = context.interrupt_callback();
        cb.callback(CALLBACK);
        cb.opaque(token);
        return token;
    }

    static void remove(BytePointer token) {
        if (token != null) {
            STOPS.remove(token.address());
            token.close();
        }
    }

    /** How many streams currently have a gate (tests check that none leak). */
    static int open() {
        return STOPS.size();
    }
}

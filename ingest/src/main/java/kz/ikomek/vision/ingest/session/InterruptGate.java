package kz.ikomek.vision.ingest.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * FFmpeg's interrupt callback for every open stream. FFmpeg polls it inside blocking I/O; answering non-zero
 * makes the call return AVERROR_EXIT. Two kinds:
 * <ul>
 * <li>{@link #install(AVFormatContext, BooleanSupplier)}: a Java predicate, for one-off connections (a probe). One
 * native callback serves all of them (JavaCPP callbacks are native thunks, not something to create per camera);
 * the opaque pointer tells the streams apart.</li>
 * <li>{@link #install(AVFormatContext, StopFlag)}: a flag byte read by native code alone, for camera sessions.
 * FFmpeg polls the callback before every socket read, tens of times per video packet; at 300 cameras the Java
 * upcall (thread attach check, a Pointer object per call, a map lookup) was 13% of the process's CPU (perf).
 * {@code strlen(opaque)} has the callback's shape, int(void*), and answers non-zero exactly when the first byte of
 * the flag is set; the sessions' watchdog sets it when a read passes its deadline.</li>
 * </ul>
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

    /** libc's strlen as FFmpeg's callback: returns the length of the flag's string, 0 until it is tripped. */
    private static final AVIOInterruptCB.Callback_Pointer NATIVE_FLAG = nativeFlagCallback();

    static {
        CALLBACK.retainReference();   // lives as long as the process: native code may call it at any time
    }

    private InterruptGate() {
    }

    /**
     * A JavaCPP function pointer is the address of a small native holder whose first member is the C function pointer
     * (JavaCPP's generated {@code struct { int (*ptr)(void*); jobject obj; }}); the setter of
     * {@code AVIOInterruptCB.callback} copies that member. So the holder is built here with strlen in it, and checked
     * once by calling it through JavaCPP on an empty and a tripped flag before any stream uses it.
     */
    private static AVIOInterruptCB.Callback_Pointer nativeFlagCallback() {
        Pointer strlen = Loader.addressof("strlen");
        if (strlen == null || strlen.isNull()) {
            throw new IllegalStateException("libc's strlen was not found; cannot install FFmpeg's interrupt callback");
        }
        PointerPointer<Pointer> holder = new PointerPointer<>(2);
        holder.put(0, strlen).put(1, (Pointer) null);
        holder.retainReference();
        AVIOInterruptCB.Callback_Pointer cb = new AVIOInterruptCB.Callback_Pointer(holder);
        try (StopFlag probe = new StopFlag()) {
            int before = cb.call(probe.pointer());
            probe.trip();
            int after = cb.call(probe.pointer());
            if (before != 0 || after != 1) {
                throw new IllegalStateException("the native interrupt callback answers " + before + " and " + after
                        + " instead of 0 and 1");
            }
        }
        return cb;
    }

    /**
     * Installs the Java callback on a context before it opens. Returns the token to pass to {@link #remove} after
     * the context is closed.
     */
    static BytePointer install(AVFormatContext context, BooleanSupplier stop) {
        BytePointer token = new BytePointer(1);
        STOPS.put(token.address(), stop);
        AVIOInterruptCB cb = context.interrupt_callback();
        cb.callback(CALLBACK);
        cb.opaque(token);
        return token;
    }

    /** Installs the native flag callback on a context before it opens; the flag must outlive the context. */
    static void install(AVFormatContext context, StopFlag flag) {
        AVIOInterruptCB cb = context.interrupt_callback();
        cb.callback(NATIVE_FLAG);
        cb.opaque(flag.pointer());
    }

    static void remove(BytePointer token) {
        if (token != null) {
            STOPS.remove(token.address());
            token.close();
        }
    }

    /** How many streams currently have a Java gate (tests check that none leak). */
    static int open() {
        return STOPS.size();
    }
}

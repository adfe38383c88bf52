package kz.ikomek.vision.ingest.session;

/**
 * The camera's keyframe interval (its GOP in time), from the gaps between the keyframes that arrive: the shortest
 * of the last few. A single longer gap is a keyframe lost on the way (a server drops pictures up to the next
 * keyframe when a client reads too slowly), not a new GOP; believing it would switch an overloaded session to
 * decoding every frame, the most expensive thing it could do just then.
 */
final class KeyframeInterval {

    private static final int REMEMBERED = 8;

    private final long[] gaps = new long[REMEMBERED];
    private int count;
    private int next;

    /** A gap between two keyframes (nanoseconds of stream time); returns the interval now believed. */
    long add(long gapNanos) {
        gaps[next] = gapNanos;
        next = (next + 1) % REMEMBERED;
        count = Math.min(count + 1, REMEMBERED);
        return get();
    }

    /** The shortest remembered gap; 0 before the first. */
    long get() {
        long min = 0;
        for (int i = 0; i < count; i++) {
            min = i == 0 ? gaps[i] : Math.min(min, gaps[i]);
        }
        return min;
    }
}

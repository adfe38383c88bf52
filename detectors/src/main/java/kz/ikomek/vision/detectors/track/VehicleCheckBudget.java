package kz.ikomek.vision.detectors.track;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many vehicle checks (the object detector, ~90 ms of CPU each) the dumping trackers of one process may start, so
 * that a busy machine spends its cores on looks rather than on asking about every blob that stood still between two
 * sparse looks. The first try at a stop is never refused: it is about the stop's first still picture, the one in which
 * a tipper still looks like a vehicle (the simulator's scores nothing once its bin tips, two seconds later), and a
 * first try put off to a later look was a truck lost (1,000 cameras: 4 of 200 dumping events raised when every check
 * but a first try about a blob seen driving in waited for the budget). Retries at other scales take a token from a
 * bucket that refills at {@code perSecond} up to {@code burst}; a refused retry is not a try: the tracker asks again at
 * a later look. Thread-safe.
 */
public final class VehicleCheckBudget {

    /** No limit: every check may run (a single camera, a test). */
    public static final VehicleCheckBudget UNLIMITED = new VehicleCheckBudget(Double.POSITIVE_INFINITY, 1, System::nanoTime);

    private final double perNano;
    private final double burst;
    private final LongSupplier clock;
    private double tokens;
    private long lastNanos;
    private final AtomicLong refused = new AtomicLong();

    public VehicleCheckBudget(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    VehicleCheckBudget(double perSecond, int burst, LongSupplier clock) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a vehicle check budget needs perSecond > 0 and burst >= 1, got "
                    + perSecond + ", " + burst);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.lastNanos = clock.getAsLong();
    }

    /**
     * Whether a check may run now.
     *
     * @param firstTry the first try at a stop: always allowed
     */
    public boolean take(boolean firstTry) {
        if (firstTry || Double.isInfinite(perNano)) {
            return true;
        }
        synchronized (this) {
            long now = clock.getAsLong();
            tokens = Math.min(burst, tokens + (now - lastNanos) * perNano);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
        }
        refused.incrementAndGet();
        return false;
    }

    /** Checks refused so far (each asked again later). */
    public long refused() {
        return refused.get();
    }
}

package kz.ikomek.vision.bridge;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (no fixed sleeps in tests). */
public final class Awaits {
    private Awaits() {
    }

    public static void until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(timeout, condition, () -> "condition");
    }

    public static void until(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + ": " + what.get());
            }
            Thread.sleep(20);
        }
    }
}

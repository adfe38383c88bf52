package kz.ikomek.vision.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class DecodeGateTest {

    private static final long FOREVER = Duration.ofHours(1).toNanos();

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);   // polling interval, not a fixed delay
        }
    }

    @Test
    void a_free_permit_is_taken_at_once_and_a_routine_look_without_patience_is_shed_when_none_is_free() throws Exception {
        DecodeGate gate = new DecodeGate(1);
        assertThat(gate.acquire(DecodeGate.Priority.ROUTINE, 0, 0)).isTrue();
        assertThat(gate.acquire(DecodeGate.Priority.ROUTINE, 3, 0)).isFalse();
        assertThat(gate.shedLooks()).isEqualTo(1);
        gate.release();
        assertThat(gate.acquire(DecodeGate.Priority.ROUTINE, 0, 0)).isTrue();
        assertThat(gate.grantedLooks()).isEqualTo(2);
    }

    @Test
    void urgent_looks_go_first_then_routine_ones_most_overdue_first() throws Exception {
        DecodeGate gate = new DecodeGate(1);
        assertThat(gate.acquire(DecodeGate.Priority.ROUTINE, 0, 0)).isTrue();   // the machine is busy
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = List.of(
                waiter(gate, DecodeGate.Priority.ROUTINE, 0.5, "routine, half a cadence late", order),
                waiter(gate, DecodeGate.Priority.ROUTINE, 2.0, "routine, two cadences late", order),
                waiter(gate, DecodeGate.Priority.URGENT, 0, "urgent", order));
        for (int i = 0; i < threads.size(); i++) {
            threads.get(i).start();
            int queued = i + 1;
            await(queued + " waiting", () -> gate.waiting() == queued);
        }
        gate.release();
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(20).toMillis());
        }
        assertThat(order).containsExactly("urgent", "routine, two cadences late", "routine, half a cadence late");
        assertThat(gate.urgentLooks()).isEqualTo(1);
        assertThat(gate.shedLooks()).isZero();
    }

    @Test
    void a_stopped_session_leaves_the_queue_and_its_permit_goes_on() throws Exception {
        DecodeGate gate = new DecodeGate(1);
        assertThat(gate.acquire(DecodeGate.Priority.ROUTINE, 0, 0)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        Thread stopped = waiter(gate, DecodeGate.Priority.URGENT, 0, "stopped", order);
        stopped.start();
        await("queued", () -> gate.waiting() == 1);
        stopped.interrupt();
        stopped.join(Duration.ofSeconds(20).toMillis());
        assertThat(gate.waiting()).isZero();
        gate.release();
        assertThat(gate.acquire(DecodeGate.Priority.ROUTINE, 0, 0)).isTrue();
        assertThat(order).isEmpty();
    }

    /** A thread that waits for a permit, notes its name in {@code order} when it gets one, and gives it back. */
    private static Thread waiter(DecodeGate gate, DecodeGate.Priority priority, double overdue, String name,
                                 List<String> order) {
        Thread t = new Thread(() -> {
            try {
                if (gate.acquire(priority, overdue, FOREVER)) {
                    order.add(name);
                    gate.release();
                }
            } catch (InterruptedException e) {
                // stopped while waiting: no permit held
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}

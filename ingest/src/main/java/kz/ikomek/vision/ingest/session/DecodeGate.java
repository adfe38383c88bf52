package kz.ikomek.vision.ingest.session;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The decode permits all sessions share (decoding and converting are CPU work, bounded by the cores), handed out by
 * what a look is worth rather than by who asked first. When the machine cannot keep every cadence the cheap-to-lose
 * looks go first:
 * <ul>
 * <li>an <b>urgent</b> look (a zone whose tracker is confirming, a dumping zone with a vehicle in it) waits as long as
 * it takes and goes ahead of every other;</li>
 * <li>a <b>routine</b> look waits its turn, most overdue first (lag in cadences), and gives up after its patience: the
 * session then skips that keyframe (a shed look, counted), goes back to reading its stream, and asks again, more
 * overdue, at the next one. So under overload every camera slows down evenly instead of some starving, and a
 * session never sits on a backlog of unread packets.</li>
 * </ul>
 * Any thread. A permit is never handed to a chosen thread: it is put back, and a waiter is woken to take it (the first
 * two urgent ones, else the most overdue routine one), but whoever runs first may. On a machine this busy a woken
 * thread can wait long for a core, and a permit handed to one sleeping thread would idle meanwhile. While urgent looks
 * wait, routine ones take no permit.
 */
public final class DecodeGate {

    /** What a look is worth. */
    public enum Priority { URGENT, ROUTINE }

    /** Longest an urgent waiter sleeps before it looks for a free permit again (in case a wake-up went to another). */
    private static final long URGENT_RECHECK_NANOS = 10_000_000L;

    private static final class Waiter implements Comparable<Waiter> {
        final Thread thread = Thread.currentThread();
        final Priority priority;
        final double overdue;
        final long seq;

        Waiter(Priority priority, double overdue, long seq) {
            this.priority = priority;
            this.overdue = overdue;
            this.seq = seq;
        }

        @Override
        public int compareTo(Waiter o) {
            if (priority != o.priority) {
                return priority.compareTo(o.priority);    // URGENT first
            }
            if (overdue != o.overdue) {
                return Double.compare(o.overdue, overdue); // most overdue first
            }
            return Long.compare(seq, o.seq);
        }
    }

    private final int permits;
    private final PriorityQueue<Waiter> queue = new PriorityQueue<>();
    private int free;
    private int urgentWaiting;
    private long seq;
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong urgentGranted = new AtomicLong();

    public DecodeGate(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        this.permits = permits;
        this.free = permits;
    }

    /**
     * Takes a permit for one look.
     *
     * @param overdue  how late the look is, in cadences of its zone (0: on time); ranks routine looks
     * @param patience longest a routine look waits, in nanoseconds; urgent looks wait for as long as it takes
     * @return true with a permit (give it back with {@link #release}); false when a routine look was shed
     * @throws InterruptedException when the session was stopped meanwhile (no permit held)
     */
    public boolean acquire(Priority priority, double overdue, long patience) throws InterruptedException {
        Waiter w;
        synchronized (this) {
            if (mayTake(priority)) {
                take(priority);
                return true;
            }
            w = new Waiter(priority, overdue, seq++);
            queue.add(w);
            if (priority == Priority.URGENT) {
                urgentWaiting++;
            }
        }
        long deadline = System.nanoTime() + patience;
        while (true) {
            if (priority == Priority.URGENT) {
                LockSupport.parkNanos(this, URGENT_RECHECK_NANOS);
            } else {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                }
            }
            synchronized (this) {
                if (Thread.interrupted()) {
                    leave(w);
                    throw new InterruptedException();
                }
                if (priority == Priority.URGENT ? free > 0 : free > 0 && urgentWaiting == 0) {
                    leave(w);
                    take(priority);
                    return true;
                }
                if (priority == Priority.ROUTINE && System.nanoTime() - deadline >= 0) {
                    leave(w);
                    shed.incrementAndGet();
                    return false;
                }
            }
        }
    }

    public synchronized void release() {
        free = Math.min(permits, free + 1);
        Waiter head = queue.peek();
        if (head == null) {
            return;
        }
        LockSupport.unpark(head.thread);
        if (head.priority == Priority.URGENT && urgentWaiting > 1) {
            // A second urgent waiter too: whichever gets a core first takes the permit.
            for (Waiter w : queue) {
                if (w != head && w.priority == Priority.URGENT) {
                    LockSupport.unpark(w.thread);
                    break;
                }
            }
        }
    }

    private boolean mayTake(Priority priority) {
        return free > 0 && (priority == Priority.URGENT || urgentWaiting == 0);
    }

    private void take(Priority priority) {
        free--;
        granted.incrementAndGet();
        if (priority == Priority.URGENT) {
            urgentGranted.incrementAndGet();
        }
    }

    private void leave(Waiter w) {
        if (queue.remove(w) && w.priority == Priority.URGENT) {
            urgentWaiting--;
        }
    }

    /** Routine looks given up so far because the machine was busy. */
    public long shedLooks() {
        return shed.get();
    }

    /** Looks that got a permit so far, urgent ones included. */
    public long grantedLooks() {
        return granted.get();
    }

    public long urgentLooks() {
        return urgentGranted.get();
    }

    /** Looks waiting for a permit now. */
    public synchronized int waiting() {
        return queue.size();
    }
}

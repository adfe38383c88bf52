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
 * Any thread. A permit released while an urgent look waits is handed to it directly. Otherwise it is put back and
 * the most overdue routine waiter is woken, but whoever runs first may take it: on a machine this busy a woken
 * thread can wait long for a core, and a permit handed to a sleeping thread would idle meanwhile (handing every
 * permit over that way cut 600 sessions to 17 samples/s where the plain semaphore gave hundreds).
 */
public final class DecodeGate {

    /** What a look is worth. */
    public enum Priority { URGENT, ROUTINE }

    private static final class Waiter implements Comparable<Waiter> {
        final Thread thread = Thread.currentThread();
        final Priority priority;
        final double overdue;
        final long seq;
        boolean granted;

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
            if (free > 0 && urgentWaiting == 0) {
                free--;
                count(priority);
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
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                }
            }
            synchronized (this) {
                if (!w.granted && priority == Priority.ROUTINE && free > 0 && urgentWaiting == 0) {
                    free--;                          // a permit put back: take it
                    queue.remove(w);
                    w.granted = true;
                }
                if (w.granted) {
                    if (Thread.interrupted()) {      // stopped just as the permit came: pass it on
                        releaseLocked();
                        throw new InterruptedException();
                    }
                    count(priority);
                    return true;
                }
                if (Thread.interrupted()) {
                    leave(w);
                    throw new InterruptedException();
                }
                if (priority == Priority.ROUTINE && System.nanoTime() - deadline >= 0) {
                    leave(w);
                    shed.incrementAndGet();
                    return false;
                }
            }
        }
    }

    public void release() {
        synchronized (this) {
            releaseLocked();
        }
    }

    private void releaseLocked() {
        Waiter next = queue.peek();
        if (next != null && next.priority == Priority.URGENT) {
            queue.poll();
            urgentWaiting--;
            next.granted = true;        // the permit passes straight to it
            LockSupport.unpark(next.thread);
            return;
        }
        free = Math.min(permits, free + 1);
        if (next != null) {
            LockSupport.unpark(next.thread);   // the most overdue routine look may take it, unless another runs first
        }
    }

    private void leave(Waiter w) {
        if (queue.remove(w) && w.priority == Priority.URGENT) {
            urgentWaiting--;
        }
    }

    private void count(Priority priority) {
        granted.incrementAndGet();
        if (priority == Priority.URGENT) {
            urgentGranted.incrementAndGet();
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

package kz.ikomek.vision.console.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A named Vert.x worker pool that knows its own load: how many tasks wait, how many run, and how long the oldest
 * has waited. The console runs two: one for signed-in requests (RocksDB reads, the audit file) and one for
 * anonymous logins (bcrypt), so a login flood queues only behind itself. A pool with a {@code maxWaiting} bound
 * refuses work beyond it at once ({@link PoolFullException}) instead of queueing it for minutes.
 */
public final class WorkerPool implements AutoCloseable {

    private final String name;
    private final int threads;
    private final int maxWaiting;
    private final WorkerExecutor executor;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong ticket = new AtomicLong();
    /** Ticket → when it was submitted, for the tasks not started yet. */
    private final Map<Long, Long> waitingSince = new ConcurrentHashMap<>();

    /** @param maxWaiting tasks allowed to wait for a thread; 0 = unbounded */
    public WorkerPool(Vertx vertx, String name, int threads, int maxWaiting) {
        this.name = name;
        this.threads = threads;
        this.maxWaiting = maxWaiting;
        this.executor = vertx.createSharedWorkerExecutor(name, threads);
    }

    /** Runs {@code work} on a thread of this pool; fails with {@link PoolFullException} when too many wait. */
    public <T> Future<T> run(Callable<T> work) {
        int queued = waiting.incrementAndGet();
        if (maxWaiting > 0 && queued > maxWaiting) {
            waiting.decrementAndGet();
            return Future.failedFuture(new PoolFullException(name, maxWaiting));
        }
        long id = ticket.incrementAndGet();
        waitingSince.put(id, System.nanoTime());
        return executor.executeBlocking(() -> {
            waitingSince.remove(id);
            waiting.decrementAndGet();
            running.incrementAndGet();
            try {
                return work.call();
            } finally {
                running.decrementAndGet();
            }
        }, false);
    }

    public PoolLoad load() {
        long now = System.nanoTime();
        long oldest = now;
        for (long since : waitingSince.values()) {
            oldest = Math.min(oldest, since);
        }
        return new PoolLoad(name, threads, Math.max(0, waiting.get()), running.get(), Duration.ofNanos(now - oldest));
    }

    @Override
    public void close() {
        executor.close();
    }

    /** The pool already has {@code maxWaiting} tasks waiting; the caller should say "busy, retry". */
    public static final class PoolFullException extends RuntimeException {
        public PoolFullException(String pool, int maxWaiting) {
            super(pool + " is busy (" + maxWaiting + " requests waiting)", null, false, false);
        }
    }
}

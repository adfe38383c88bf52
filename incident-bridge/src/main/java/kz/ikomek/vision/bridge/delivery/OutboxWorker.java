package kz.ikomek.vision.bridge.delivery;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.OutboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery channel on its own thread: reads its outbox entries (oldest first), hands the due ones to
 * {@link #deliver}, and backs off per entry after failures. Detection never waits for it: the bridge only
 * wakes it. Attempt counts live in memory (a restart retries afresh); the dead-letter flag is stored.
 */
public abstract class OutboxWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
    private static final long IDLE_POLL_MILLIS = 1000;

    private record Backoff(int attempts, long nextAtMillis) {
    }

    protected final DeliverySink sink;
    private final String name;
    private final byte channel;
    private final BridgeStore store;
    private final RetryPolicy retry;
    private final Clock clock;
    private final int batchSize;
    private final Map<Long, Backoff> backoff = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeup = lock.newCondition();
    private boolean woken;
    private volatile boolean running = true;
    private volatile long delivered;
    private volatile long failures;
    private Thread thread;

    protected OutboxWorker(String name, byte channel, BridgeStore store, DeliverySink sink, RetryPolicy retry,
                           Clock clock, int batchSize) {
        this.name = name;
        this.channel = channel;
        this.store = store;
        this.sink = sink;
        this.retry = retry;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Sends these entries; reports each by {@link #succeeded} or {@link #failed} (or a sink call). */
    protected abstract void deliver(List<OutboxEntry> due) throws Exception;

    public void start() {
        thread = new Thread(this::run, "bridge-delivery-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Something new is in the outbox (or a dead letter was revived). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeup.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public long delivered() {
        return delivered;
    }

    public long failures() {
        return failures;
    }

    /** Entries waiting (dead letters included), read from the store. */
    public int queued() {
        int[] n = {0};
        store.scan(Family.OUTBOX, new byte[] {channel}, (k, v) -> {
            if (k[0] != channel) {
                return false;
            }
            n[0]++;
            return true;
        });
        return n[0];
    }

    protected void succeeded(OutboxEntry e) {
        synchronized (backoff) {
            backoff.remove(e.seq());
        }
        delivered++;
    }

    /** A failed attempt: back off, or dead-letter after the last attempt or when {@code permanent}. */
    protected void failed(OutboxEntry e, String error, boolean permanent) {
        failures++;
        int attempts;
        synchronized (backoff) {
            Backoff b = backoff.get(e.seq());
            attempts = (b == null ? 0 : b.attempts) + 1;
            long wait = retry.backoff(attempts, ThreadLocalRandom.current().nextDouble()).toMillis();
            backoff.put(e.seq(), new Backoff(attempts, clock.millis() + wait));
        }
        if (permanent || attempts >= retry.maxAttempts()) {
            log.atWarn().addKeyValue("incident", e.incidentId()).addKeyValue("attempts", attempts)
                    .log("{} delivery gave up: {}", name, error);
            synchronized (backoff) {
                backoff.remove(e.seq());
            }
            sink.deadLetter(e, error);
        } else {
            log.atDebug().addKeyValue("incident", e.incidentId()).addKeyValue("attempt", attempts)
                    .log("{} delivery failed, will retry: {}", name, error);
        }
    }

    private List<OutboxEntry> due(long now, long[] nextDue) {
        List<OutboxEntry> due = new ArrayList<>();
        store.scan(Family.OUTBOX, new byte[] {channel}, (k, v) -> {
            if (k[0] != channel) {
                return false;
            }
            OutboxEntry e = Codec.read(v, OutboxEntry.class);
            if (e.deadLetter()) {
                return true;
            }
            Backoff b;
            synchronized (backoff) {
                b = backoff.get(e.seq());
            }
            if (b != null && b.nextAtMillis > now) {
                nextDue[0] = Math.min(nextDue[0], b.nextAtMillis);
                return true;
            }
            due.add(e);
            return due.size() < batchSize;
        });
        return due;
    }

    private void run() {
        while (running) {
            try {
                long now = clock.millis();
                long[] nextDue = {now + IDLE_POLL_MILLIS};
                List<OutboxEntry> due = due(now, nextDue);
                if (due.isEmpty()) {
                    await(Math.max(1, nextDue[0] - now));
                    continue;
                }
                try {
                    deliver(due);
                } catch (Exception e) {
                    if (!running) {
                        return;
                    }
                    for (OutboxEntry entry : due) {
                        failed(entry, String.valueOf(e.getMessage()), false);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // Keep the channel alive whatever one round did: a dead worker would silently stop delivery.
                if (!running) {
                    return;
                }
                log.error("{} delivery loop failed; retrying in a second", name, e);
                await(IDLE_POLL_MILLIS);
            }
        }
    }

    private void await(long millis) {
        lock.lock();
        try {
            if (!woken && running) {
                wakeup.await(millis, TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    protected boolean running() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

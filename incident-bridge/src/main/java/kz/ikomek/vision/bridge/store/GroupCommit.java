package kz.ikomek.vision.bridge.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers queue change sets in decision order and go on (a future says when each is durable);
 * one thread writes everything queued so far in a single synced WriteBatch, so N pending changes pay for one
 * fsync instead of N, and the next group gathers while this one syncs. A group holds at most
 * {@link #MAX_GROUP} changes: a backlog is written as several moderate batches back to back rather than one
 * huge one (a 30 MB batch fills the memtable at once and stalls the write). After a failed write the store
 * refuses further changes: the in-memory view may be ahead of the disk, and carrying on would acknowledge
 * what was never written.
 */
public final class GroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Changes per synced WriteBatch at most: with a 24 KB frame each, about 6 MB. */
    static final int MAX_GROUP = 256;
    /**
     * Changes queued behind the group being written before {@link #submit} makes its caller wait: a producer
     * faster than the disk is slowed down instead of filling the heap with frames (about 100 MB at 24 KB each).
     */
    static final int MAX_QUEUED = 4096;

    private static final class Group {
        final List<ChangeSet> changes = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
    }

    private final BridgeStore store;
    private final Consumer<List<ChangeSet>> onCommitted;
    private final Object lock = new Object();
    private final Thread thread;
    /** Groups waiting to be written, oldest first; only the last one takes new changes. */
    private final Deque<Group> queued = new ArrayDeque<>();
    private int queuedChanges;
    /** The group being written now, or null: a barrier must wait for it too. */
    private Group writing;
    private boolean closing;
    private volatile Throwable failure;
    private long groups;
    private long changes;

    /** {@code onCommitted} runs on the commit thread after each durable write, before callers are released. */
    public GroupCommit(BridgeStore store, Consumer<List<ChangeSet>> onCommitted) {
        this.store = store;
        this.onCommitted = onCommitted;
        this.thread = new Thread(this::run, "bridge-group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a change; the future completes once it is durable. Call in the order the decisions were made. */
    public CompletableFuture<Void> submit(ChangeSet change) {
        synchronized (lock) {
            while (queuedChanges >= MAX_QUEUED && !closing && failure == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CompletableFuture.failedFuture(e);
                }
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the incident store failed earlier and accepts no changes: " + failure.getMessage(), failure));
            }
            if (closing) {
                return CompletableFuture.failedFuture(new IllegalStateException("the incident bridge is closed"));
            }
            Group last = queued.peekLast();
            if (last == null || last.changes.size() >= MAX_GROUP) {
                last = new Group();
                queued.addLast(last);
            }
            last.changes.add(change);
            queuedChanges++;
            lock.notifyAll();
            return last.done;
        }
    }

    /** Completes when everything queued so far is durable. */
    public CompletableFuture<Void> barrier() {
        synchronized (lock) {
            Group last = queued.peekLast();
            if (last != null) {
                return last.done;
            }
            return writing == null ? CompletableFuture.completedFuture(null) : writing.done;
        }
    }

    public void checkHealthy() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("the incident store failed and accepts no changes: " + f.getMessage(), f);
        }
    }

    /** Writes per fsync so far: {@code changes / groups} is the group-commit factor. */
    public long[] stats() {
        synchronized (lock) {
            return new long[] {groups, changes};
        }
    }

    private void run() {
        while (true) {
            Group group;
            synchronized (lock) {
                while (queued.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (queued.isEmpty()) {
                    return;
                }
                group = queued.pollFirst();
                queuedChanges -= group.changes.size();
                writing = group;
                lock.notifyAll();
            }
            try (WriteBatch batch = new WriteBatch(reserve(group))) {
                for (ChangeSet c : group.changes) {
                    c.applyTo(batch, store);
                }
                store.write(batch);
                synchronized (lock) {
                    groups++;
                    changes += group.changes.size();
                }
                onCommitted.accept(group.changes);
                synchronized (lock) {
                    writing = null;
                }
                group.done.complete(null);
            } catch (Throwable t) {
                log.error("incident store write failed; refusing further changes", t);
                synchronized (lock) {
                    failure = t;
                    writing = null;
                    queued.forEach(g -> g.done.completeExceptionally(t));
                    queued.clear();
                    queuedChanges = 0;
                    lock.notifyAll();
                }
                group.done.completeExceptionally(t);
                return;
            }
        }
    }

    /**
     * Bytes to reserve for a group's batch: its keys and values and a little per op. A batch grown put by put
     * reallocated and copied its buffer (about 6 MB for a full group of 24 KB frames) a dozen times.
     */
    private static int reserve(Group group) {
        long bytes = 64;
        for (ChangeSet c : group.changes) {
            bytes += c.bytes() + 32L * c.size();
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package kz.ikomek.vision.bridge.standalone;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.dedup.DedupEntry;
import kz.ikomek.vision.bridge.evidence.EvidenceStore;
import kz.ikomek.vision.bridge.owner.Announcements;
import kz.ikomek.vision.bridge.owner.Decided;
import kz.ikomek.vision.bridge.owner.IncidentChange;
import kz.ikomek.vision.bridge.owner.IncidentDecider;
import kz.ikomek.vision.bridge.owner.IncidentLookup;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.ChangeSet;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.GroupCommit;
import kz.ikomek.vision.bridge.store.OutboxEntry;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.detectors.Evidence;

/**
 * The owner of the one place partition of standalone mode: runs {@link IncidentDecider} one decision at a
 * time, stages each decided change (incident, dedup entry, evidence frames, outbox entries) into a change set,
 * and hands it to {@link GroupCommit}, which makes everything pending durable in one synced WriteBatch.
 *
 * <p>The lock is held for the decision only (microseconds, no I/O): callers do not wait for their fsync under
 * it, so it serialises decisions (as a Streams task does) and never the disk. A decision sees what earlier ones
 * decided (pending) before it is durable; readers see only durable versions (the read model reads the store).
 */
public final class LocalPartition implements AutoCloseable {

    private static final byte[] NEXT_SEQ_KEY = Codec.utf8("outbox-next-seq");

    private final BridgeOptions options;
    private final BridgeStore store;
    private final EvidenceStore evidence;
    private final IncidentDecider decider;
    private final GroupCommit commits;
    private final ReentrantLock mutex = new ReentrantLock();
    /** Decided but not yet durable: later decisions must see them; readers must not. */
    private final Map<String, StoredIncident> pending = new HashMap<>();
    /** Durable open incidents (the ones candidates merge into and retention protects). */
    private final Map<String, StoredIncident> open = new HashMap<>();
    private final Consumer<List<StoredIncident>> onDurable;
    private final Lookup lookup = new Lookup();
    /**
     * Versions made durable, handed over by the commit thread without taking the lock (a producer deciding in a
     * tight loop would starve it); the next holder of the lock settles them into the durable view.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<List<StoredIncident>> madeDurable =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private long nextSeq;
    private volatile boolean closed;

    /**
     * @param onDurable runs on the commit thread after each durable write, with the incident versions it
     *                  made durable and before their callers are released; must not wait for another write
     */
    public LocalPartition(BridgeOptions options, BridgeStore store, EvidenceStore evidence,
                          Consumer<List<StoredIncident>> onDurable) {
        this.options = options;
        this.store = store;
        this.evidence = evidence;
        this.decider = new IncidentDecider(options);
        this.onDurable = onDurable;
        this.commits = new GroupCommit(store, this::committed);
    }

    /** Rebuilds the dedup index and the open incidents from the store; drops dedup entries that lapsed. */
    public void recover() {
        Instant now = options.clock().instant();
        byte[] seq = store.get(Family.META, NEXT_SEQ_KEY);
        nextSeq = seq == null ? 1 : ByteBuffer.wrap(seq).getLong();
        List<String> stale = new ArrayList<>();
        store.scan(Family.DEDUP, null, (k, v) -> {
            DedupEntry e = Codec.read(v, DedupEntry.class);
            if (!decider.dedup().put(e, now)) {
                stale.add(e.storeKey());
            }
            return true;
        });
        store.scan(Family.INCIDENTS, null, (k, v) -> {
            StoredIncident s = Codec.read(v, StoredIncident.class);
            if (s.incident().state().isOpen()) {
                open.put(s.id(), s);
            }
            return true;
        });
        if (!stale.isEmpty()) {
            ChangeSet cs = new ChangeSet();
            stale.forEach(k -> cs.delete(Family.DEDUP, Codec.utf8(k)));
            commits.submit(cs).join();
        }
    }

    /** Durable open incidents now (a copy). */
    public List<StoredIncident> openIncidents() {
        mutex.lock();
        try {
            settle();
            return new ArrayList<>(open.values());
        } finally {
            mutex.unlock();
        }
    }

    public int dedupSize() {
        return decider.dedup().size();
    }

    /**
     * Takes one decision and queues its changes, plus whatever {@code extra} adds to the same atomic batch
     * (outbox deletions of a delivery result, retention's deletions). The future completes with the decision's
     * result once it is durable; a decision without changes completes once everything decided before it is
     * durable (it may rest on a pending change). Exceptions of the decision are thrown here, at once.
     */
    public <T> CompletableFuture<T> decide(Function<IncidentLookup, Decided<T>> decision, Consumer<ChangeSet> extra) {
        mutex.lock();
        try {
            checkOpen();
            settle();
            Decided<T> d = decision.apply(lookup);
            ChangeSet cs = new ChangeSet();
            if (extra != null) {
                extra.accept(cs);
            }
            Instant now = options.clock().instant();
            for (IncidentChange change : d.changes()) {
                stage(cs, change, now);
            }
            CompletableFuture<Void> durable = cs.isEmpty() ? commits.barrier() : commits.submit(cs);
            T result = d.result();
            return durable.thenApply(v -> result);
        } finally {
            mutex.unlock();
        }
    }

    /** Evidence an open (durable or pending) incident shows: retention never deletes it. */
    public Set<String> shownEvidence() {
        mutex.lock();
        try {
            settle();
            Set<String> shown = new HashSet<>();
            open.values().forEach(s -> s.incident().evidence().forEach(r -> shown.add(r.sha256())));
            pending.values().forEach(s -> s.incident().evidence().forEach(r -> shown.add(r.sha256())));
            return shown;
        } finally {
            mutex.unlock();
        }
    }

    /** Drops dedup entries whose suppression window has passed, durably. */
    public CompletableFuture<Void> pruneDedup() {
        mutex.lock();
        try {
            checkOpen();
            List<DedupEntry> gone = decider.dedup().prune(options.clock().instant());
            if (gone.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            ChangeSet cs = new ChangeSet();
            gone.forEach(e -> cs.delete(Family.DEDUP, Codec.utf8(e.storeKey())));
            return commits.submit(cs);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Deletes these frames, durably, except any that an open incident shows by now: retention planned outside
     * the lock, and a candidate may have brought a frame back since.
     */
    public CompletableFuture<Void> deleteEvidence(List<String> sha256s) {
        Set<String> shown = shownEvidence();
        mutex.lock();
        try {
            checkOpen();
            pending.values().forEach(s -> s.incident().evidence().forEach(r -> shown.add(r.sha256())));
            ChangeSet cs = new ChangeSet();
            sha256s.stream().filter(sha -> !shown.contains(sha)).forEach(sha -> evidence.stageDelete(cs, sha));
            return cs.isEmpty() ? CompletableFuture.completedFuture(null) : commits.submit(cs);
        } finally {
            mutex.unlock();
        }
    }

    /** The decisions, for callers that build their own ({@code decide(l -> decider().act(…, l), …)}). */
    public IncidentDecider decider() {
        return decider;
    }

    /** [groups, changes] written so far: changes / groups is how many changes share one fsync. */
    public long[] commitStats() {
        return commits.stats();
    }

    private void stage(ChangeSet cs, IncidentChange change, Instant now) {
        StoredIncident next = change.next();
        cs.put(Family.INCIDENTS, Codec.utf8(next.id()), Codec.write(next)).touched(next);
        if (change.dedupLive()) {
            cs.put(Family.DEDUP, Codec.utf8(change.dedup().storeKey()), Codec.write(change.dedup()));
        } else {
            cs.delete(Family.DEDUP, Codec.utf8(change.dedup().storeKey()));
        }
        for (Evidence e : change.newEvidence()) {
            evidence.stage(cs, e, now);
        }
        if (change.entered() != null) {
            if (options.kafka() != null) {
                outbox(cs, new OutboxEntry(0, OutboxEntry.KAFKA, next.id(),
                        kz.ikomek.vision.bridge.Lifecycle.eventType(change.entered()),
                        Announcements.cloudEvent(options.kafka().source(), change), false, null));
            }
            if (Announcements.open311Due(options.open311(), next.incident(), change.entered())) {
                outbox(cs, new OutboxEntry(0, OutboxEntry.OPEN311, next.id(), "submit", null, false, null));
            }
        }
        pending.put(next.id(), next);
    }

    private void outbox(ChangeSet cs, OutboxEntry e) {
        OutboxEntry numbered = new OutboxEntry(nextSeq++, e.channel(), e.incidentId(), e.eventType(), e.payload(),
                false, null);
        cs.put(Family.OUTBOX, numbered.key(), Codec.write(numbered));
        cs.put(Family.META, NEXT_SEQ_KEY, ByteBuffer.allocate(8).putLong(nextSeq).array());
    }

    /** On the commit thread, after the write is durable: hand the versions over, without the lock. */
    private void committed(List<ChangeSet> changes) {
        List<StoredIncident> durable = new ArrayList<>();
        for (ChangeSet cs : changes) {
            durable.addAll(cs.incidents());
        }
        madeDurable.add(durable);
        onDurable.accept(durable);
    }

    /** Under the lock: moves what was made durable from pending to the durable view. */
    private void settle() {
        for (List<StoredIncident> batch; (batch = madeDurable.poll()) != null; ) {
            for (StoredIncident s : batch) {
                if (pending.get(s.id()) == s) {
                    pending.remove(s.id());
                }
                StoredIncident known = open.get(s.id());
                if (known == null || known.version() < s.version()) {
                    if (s.incident().state().isOpen()) {
                        open.put(s.id(), s);
                    } else {
                        open.remove(s.id());
                    }
                }
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the incident bridge is closed");
        }
        commits.checkHealthy();
    }

    /** Writes what is queued, then refuses further decisions. */
    @Override
    public void close() {
        mutex.lock();
        try {
            closed = true;
        } finally {
            mutex.unlock();
        }
        commits.close();
    }

    /** Pending first, then durable open ones, then the store (closed incidents). Under the mutex. */
    private final class Lookup implements IncidentLookup {

        @Override
        public StoredIncident get(String id) {
            StoredIncident s = pending.get(id);
            if (s == null) {
                s = open.get(id);
            }
            if (s == null) {
                byte[] raw = store.get(Family.INCIDENTS, Codec.utf8(id));
                s = raw == null ? null : Codec.read(raw, StoredIncident.class);
            }
            return s;
        }

        @Override
        public void forEachOpen(Consumer<StoredIncident> visitor) {
            for (StoredIncident s : open.values()) {
                StoredIncident latest = pending.getOrDefault(s.id(), s);
                if (latest.incident().state().isOpen()) {
                    visitor.accept(latest);
                }
            }
            for (StoredIncident s : pending.values()) {
                if (!open.containsKey(s.id()) && s.incident().state().isOpen()) {
                    visitor.accept(s);
                }
            }
        }
    }
}

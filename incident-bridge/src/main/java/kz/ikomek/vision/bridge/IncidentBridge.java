package kz.ikomek.vision.bridge;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import kz.ikomek.vision.bridge.dedup.DedupEntry;
import kz.ikomek.vision.bridge.dedup.DedupIndex;
import kz.ikomek.vision.bridge.dedup.Match;
import kz.ikomek.vision.bridge.delivery.CloudEvents;
import kz.ikomek.vision.bridge.delivery.DeliverySink;
import kz.ikomek.vision.bridge.delivery.KafkaWorker;
import kz.ikomek.vision.bridge.delivery.Open311Worker;
import kz.ikomek.vision.bridge.delivery.OutboxWorker;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.bridge.evidence.EvidenceMeta;
import kz.ikomek.vision.bridge.evidence.RetentionReport;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.ChangeSet;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.GroupCommit;
import kz.ikomek.vision.bridge.store.OutboxEntry;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Candidates in, deduplicated incidents out, nothing lost. Every change (an incident, its dedup entry, its
 * outbox entries, its evidence metadata) is one atomic, synced RocksDB write before the call returns or
 * anyone hears of it; delivery workers (Kafka, case system) read the outbox on their own threads, so a slow or
 * dead receiver never slows detection. On open, whatever the outbox still holds is sent again.
 *
 * <p>Thread-safe. Decisions are taken one at a time under a lock, in memory; the synced writes of
 * concurrent callers are grouped into one fsync ({@link GroupCommit}).
 */
public final class IncidentBridge implements Incidents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IncidentBridge.class);
    private static final byte[] NEXT_SEQ_KEY = Codec.utf8("outbox-next-seq");
    /** Unreferenced evidence files younger than this may belong to a candidate being recorded. */
    private static final java.time.Duration ORPHAN_AGE = java.time.Duration.ofHours(1);
    /** The actor of changes the bridge makes itself. */
    public static final String SYSTEM = "bridge";

    private final BridgeOptions options;
    private final BridgeStore store;
    private final EvidenceFiles evidenceFiles;
    private final DedupIndex dedup;
    private final GroupCommit commits;
    private final ReentrantLock mutex = new ReentrantLock();
    /** Decided but not yet durable: later decisions must see them; readers must not. */
    private final Map<String, StoredIncident> pending = new HashMap<>();
    /** Durable open incidents (the ones candidates merge into and retention protects). */
    private final Map<String, StoredIncident> open = new HashMap<>();
    private final List<Consumer<Incident>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier;
    private final ScheduledExecutorService housekeeping;
    private final List<OutboxWorker> workers = new ArrayList<>();
    private final KafkaWorker kafka;
    private final Open311Worker open311;
    private long nextSeq;
    private volatile boolean closed;

    private IncidentBridge(BridgeOptions options, BridgeStore store) {
        this.options = options;
        this.store = store;
        this.evidenceFiles = new EvidenceFiles(options.dir().resolve("evidence"));
        this.dedup = new DedupIndex(options.mergeRadiusMeters(), options.rejectSuppression(), options.cooldown(),
                options.dumpingMergeWindow());
        this.notifier = Executors.newSingleThreadExecutor(r -> daemon(r, "bridge-notify"));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bridge-housekeeping"));
        this.commits = new GroupCommit(store, this::committed);
        DeliverySink sink = new Sink();
        this.kafka = options.kafka() == null ? null
                : new KafkaWorker(options.kafka(), store, sink, options.retry(), options.clock());
        this.open311 = options.open311() == null ? null
                : new Open311Worker(options.open311(), store, sink, options.retry(), options.clock());
        if (kafka != null) {
            workers.add(kafka);
        }
        if (open311 != null) {
            workers.add(open311);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Opens the store under {@code options.dir()/db} (creating it when absent), rebuilds the dedup index,
     * and starts the delivery workers, which first re-send whatever the outbox still holds.
     *
     * @throws kz.ikomek.vision.bridge.store.BridgeStoreException corrupt directory or wrong schema version
     */
    public static IncidentBridge open(BridgeOptions options) {
        BridgeStore store = BridgeStore.open(options.dir().resolve("db"));
        IncidentBridge bridge;
        try {
            bridge = new IncidentBridge(options, store);
            bridge.recover();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        bridge.workers.forEach(OutboxWorker::start);
        long retentionMillis = options.retention().interval().toMillis();
        bridge.housekeeping.scheduleWithFixedDelay(bridge::housekeep, retentionMillis, retentionMillis,
                TimeUnit.MILLISECONDS);
        return bridge;
    }

    private void recover() {
        Instant now = options.clock().instant();
        byte[] seq = store.get(Family.META, NEXT_SEQ_KEY);
        nextSeq = seq == null ? 1 : ByteBuffer.wrap(seq).getLong();
        List<String> stale = new ArrayList<>();
        store.scan(Family.DEDUP, null, (k, v) -> {
            DedupEntry e = Codec.read(v, DedupEntry.class);
            if (!dedup.put(e, now)) {
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
            await(commits.submit(cs));
        }
        if (kafka == null) {
            // Without a broker "published" means shown to the in-process listeners: announce what a crash left.
            open.values().stream().filter(s -> s.incident().state() == IncidentState.DETECTED)
                    .map(StoredIncident::id).toList().forEach(this::announceLater);
        }
        log.atInfo().addKeyValue("open", open.size()).addKeyValue("dedup", dedup.size())
                .log("incident bridge opened at {}", options.dir());
    }

    // ---------------------------------------------------------------- detection side

    /**
     * Records a tracker's candidate: opens an incident, merges it into an open one of the same type and place,
     * or reports that a rejected / resolved incident suppresses it. Returns after the change is durable.
     *
     * @throws IllegalArgumentException the candidate is malformed (names the field)
     */
    public Recorded record(Candidate c) {
        validate(c);
        // Content-addressed files first, outside the lock: they mean nothing until an incident points at them.
        for (Evidence e : c.evidence()) {
            evidenceFiles.store(e.sha256(), e.jpeg());
        }
        Instant now = options.clock().instant();
        CompletableFuture<Void> durable;
        Recorded result;
        mutex.lock();
        try {
            checkOpen();
            Match m = dedup.match(c, now);
            switch (m.kind()) {
                case SUPPRESS -> {
                    durable = commits.barrier();
                    result = new Recorded(Recorded.Outcome.SUPPRESSED, current(m.id()).incident(), m.reason());
                }
                case MERGE -> {
                    StoredIncident cur = current(m.id());
                    StoredIncident next = merged(cur, c);
                    if (next == null) {
                        durable = commits.barrier();
                        result = new Recorded(Recorded.Outcome.MERGED, cur.incident(), null);
                    } else {
                        ChangeSet cs = new ChangeSet();
                        stage(cs, next, null, evidenceOf(c, next));
                        durable = commits.submit(cs);
                        result = new Recorded(Recorded.Outcome.MERGED, next.incident(), null);
                    }
                }
                default -> {
                    StoredIncident created = created(c, now, m.reason());
                    ChangeSet cs = new ChangeSet();
                    stage(cs, created, IncidentState.DETECTED, evidenceOf(c, created));
                    durable = commits.submit(cs);
                    result = new Recorded(Recorded.Outcome.OPENED, created.incident(), m.reason());
                }
            }
        } finally {
            mutex.unlock();
        }
        await(durable);
        return result;
    }

    /**
     * The tracker's clear: the condition of {@code type} is gone from this camera zone. An incident that no
     * zone reports any more and nobody has acted on becomes EXPIRED; confirmed or dispatched ones stay for
     * people to resolve. Returns the incidents that expired.
     */
    public List<Incident> conditionCleared(String cameraId, String zoneId, IncidentType type, Instant at) {
        String zone = DedupIndex.zoneKey(cameraId, zoneId);
        List<Incident> expired = new ArrayList<>();
        CompletableFuture<Void> durable = null;
        mutex.lock();
        try {
            checkOpen();
            Set<String> ids = new LinkedHashSet<>();
            open.values().forEach(s -> collectZone(s, type, zone, ids));
            pending.values().forEach(s -> collectZone(s, type, zone, ids));
            ChangeSet cs = new ChangeSet();
            for (String id : ids) {
                StoredIncident cur = current(id);
                List<String> active = new ArrayList<>(cur.activeZones());
                active.remove(zone);
                StoredIncident next;
                if (active.isEmpty() && Lifecycle.mayExpire(cur.incident().state())) {
                    next = transitioned(cur, IncidentState.EXPIRED, "tracker", at,
                            "condition cleared on " + zone + " before anyone acted");
                    stage(cs, new StoredIncident(next.incident(), next.zones(), List.of(), next.eventIds(),
                            next.version(), next.closedAt()), IncidentState.EXPIRED, List.of());
                    expired.add(next.incident());
                } else {
                    stage(cs, cur.with(cur.incident(), cur.zones(), active, cur.eventIds(), cur.closedAt()), null,
                            List.of());
                }
            }
            if (!cs.isEmpty()) {
                durable = commits.submit(cs);
            }
        } finally {
            mutex.unlock();
        }
        if (durable != null) {
            await(durable);
        }
        return expired;
    }

    private static void collectZone(StoredIncident s, IncidentType type, String zone, Set<String> ids) {
        if (s.incident().type() == type && s.incident().state().isOpen() && s.activeZones().contains(zone)) {
            ids.add(s.id());
        }
    }

    private static void validate(Candidate c) {
        if (c == null) {
            throw new IllegalArgumentException("candidate: must not be null");
        }
        List<String> problems = new ArrayList<>();
        if (c.type() == null) {
            problems.add("type is null");
        }
        if (c.place() == null || !(Math.abs(c.place().lat()) <= 90) || !(Math.abs(c.place().lon()) <= 180)) {
            problems.add("place " + c.place() + " is not a WGS-84 position");
        }
        if (c.cameraId() == null || c.cameraId().isBlank()) {
            problems.add("cameraId is empty");
        }
        if (c.zoneId() == null || c.zoneId().isBlank()) {
            problems.add("zoneId is empty");
        }
        if (c.firstSeen() == null || c.lastSeen() == null || c.lastSeen().isBefore(c.firstSeen())) {
            problems.add("firstSeen " + c.firstSeen() + " / lastSeen " + c.lastSeen() + " are not in order");
        }
        if (!(c.bestScore() >= 0 && c.bestScore() <= 1)) {
            problems.add("bestScore " + c.bestScore() + " is not within 0..1");
        }
        if (c.evidence() == null) {
            problems.add("evidence is null (use an empty list)");
        } else {
            for (Evidence e : c.evidence()) {
                if (e == null || !EvidenceFiles.isSha256(e.sha256()) || e.jpeg() == null || e.at() == null) {
                    problems.add("evidence needs a lowercase hex sha256, bytes and a time");
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("candidate " + c.eventId() + " from " + c.cameraId() + "/"
                    + c.zoneId() + ": " + String.join("; ", problems));
        }
    }

    private StoredIncident created(Candidate c, Instant now, String reason) {
        String id = "inc-" + java.util.UUID.randomUUID();
        String zone = DedupIndex.zoneKey(c.cameraId(), c.zoneId());
        String serviceCode = options.open311() == null ? Open311DefaultCodes.of(c.type())
                : options.open311().serviceCodes().get(c.type());
        List<EvidenceRef> evidence = bounded(new ArrayList<>(), c);
        Incident i = new Incident(id, c.type(), IncidentState.DETECTED, c.place(), c.address(), c.firstSeen(),
                c.lastSeen(), List.of(c.cameraId()), c.bestScore(), evidence,
                List.of(new Transition(null, IncidentState.DETECTED, "tracker", now, reason)), serviceCode, null, false);
        return new StoredIncident(i, List.of(zone), List.of(zone), c.eventId() == null ? List.of() : List.of(c.eventId()),
                1, null);
    }

    /** The incident with the candidate folded in, or null when the candidate adds nothing (a replay). */
    private StoredIncident merged(StoredIncident cur, Candidate c) {
        Incident i = cur.incident();
        String zone = DedupIndex.zoneKey(c.cameraId(), c.zoneId());
        List<String> cameras = addIfAbsent(i.cameras(), c.cameraId());
        List<String> zones = addIfAbsent(cur.zones(), zone);
        List<String> active = addIfAbsent(cur.activeZones(), zone);
        List<String> events = c.eventId() == null ? cur.eventIds() : addIfAbsent(cur.eventIds(), c.eventId());
        List<EvidenceRef> evidence = bounded(new ArrayList<>(i.evidence()), c);
        Instant first = c.firstSeen().isBefore(i.firstSeen()) ? c.firstSeen() : i.firstSeen();
        Instant last = c.lastSeen().isAfter(i.lastSeen()) ? c.lastSeen() : i.lastSeen();
        double best = Math.max(i.bestScore(), c.bestScore());
        if (cameras.equals(i.cameras()) && zones.equals(cur.zones()) && active.equals(cur.activeZones())
                && events.equals(cur.eventIds()) && evidence.equals(i.evidence()) && first.equals(i.firstSeen())
                && last.equals(i.lastSeen()) && best == i.bestScore()) {
            return null;
        }
        Incident next = new Incident(i.id(), i.type(), i.state(), i.place(), i.address(), first, last, cameras, best,
                evidence, i.history(), i.serviceCode(), i.serviceRequestId(), i.deliveryFailed());
        return cur.with(next, zones, active, events, cur.closedAt());
    }

    private static List<String> addIfAbsent(List<String> list, String value) {
        if (list.contains(value)) {
            return list;
        }
        List<String> copy = new ArrayList<>(list);
        copy.add(value);
        return List.copyOf(copy);
    }

    /**
     * Adds the candidate's frames, keeping per camera only the first half and the latest half of
     * {@code evidencePerCamera}: a condition seen for hours must not pile up thousands of JPEGs.
     */
    private List<EvidenceRef> bounded(List<EvidenceRef> refs, Candidate c) {
        Set<String> known = new HashSet<>();
        refs.forEach(r -> known.add(r.sha256()));
        for (Evidence e : c.evidence()) {
            if (known.add(e.sha256())) {
                refs.add(new EvidenceRef(e.sha256(), e.role(), c.cameraId(), e.at(), e.detail()));
            }
        }
        int cap = options.evidencePerCamera();
        Map<String, List<EvidenceRef>> perCamera = new LinkedHashMap<>();
        refs.forEach(r -> perCamera.computeIfAbsent(r.cameraId(), k -> new ArrayList<>()).add(r));
        List<EvidenceRef> kept = new ArrayList<>();
        for (List<EvidenceRef> mine : perCamera.values()) {
            if (mine.size() <= cap) {
                kept.addAll(mine);
                continue;
            }
            mine.sort(Comparator.comparing(EvidenceRef::at));
            int firstN = cap / 2;
            kept.addAll(mine.subList(0, firstN));
            kept.addAll(mine.subList(mine.size() - (cap - firstN), mine.size()));
        }
        return List.copyOf(kept);
    }

    /** The new evidence of this candidate that the incident kept: its files must exist and get metadata. */
    private List<Evidence> evidenceOf(Candidate c, StoredIncident next) {
        Set<String> kept = new HashSet<>();
        next.incident().evidence().forEach(r -> kept.add(r.sha256()));
        return c.evidence().stream().filter(e -> kept.contains(e.sha256())).toList();
    }

    // ---------------------------------------------------------------- people side

    @Override
    public Incident act(String id, IncidentAction action, String actor, String reason) {
        if (action == null) {
            throw new IllegalArgumentException("action: must be one of confirm, reject, dispatch, resolve");
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor: who acts must be named");
        }
        StoredIncident next;
        CompletableFuture<Void> durable;
        mutex.lock();
        try {
            checkOpen();
            StoredIncident cur = currentOrNull(id);
            if (cur == null) {
                throw new IncidentNotFoundException(id);
            }
            IncidentState from = cur.incident().state();
            if (!Lifecycle.allowed(from, action)) {
                throw new IllegalTransitionException(id, from, action);
            }
            IncidentState to = Lifecycle.target(action);
            next = transitioned(cur, to, actor, options.clock().instant(), reason);
            ChangeSet cs = new ChangeSet();
            stage(cs, next, to, List.of());
            durable = commits.submit(cs);
        } finally {
            mutex.unlock();
        }
        await(durable);
        return next.incident();
    }

    /** Revives the incident's dead-lettered deliveries and clears its {@code deliveryFailed} flag. */
    public Incident retryDelivery(String id) {
        StoredIncident next;
        CompletableFuture<Void> durable;
        mutex.lock();
        try {
            checkOpen();
            StoredIncident cur = currentOrNull(id);
            if (cur == null) {
                throw new IncidentNotFoundException(id);
            }
            ChangeSet cs = new ChangeSet();
            store.scan(Family.OUTBOX, null, (k, v) -> {
                OutboxEntry e = Codec.read(v, OutboxEntry.class);
                if (e.deadLetter() && e.incidentId().equals(id)) {
                    cs.put(Family.OUTBOX, e.key(), Codec.write(e.revived()));
                }
                return true;
            });
            Incident i = cur.incident();
            next = cur.with(withDelivery(i, i.serviceRequestId(), false));
            stage(cs, next, null, List.of());
            durable = commits.submit(cs);
        } finally {
            mutex.unlock();
        }
        await(durable);
        return next.incident();
    }

    private static Incident withDelivery(Incident i, String serviceRequestId, boolean failed) {
        return new Incident(i.id(), i.type(), i.state(), i.place(), i.address(), i.firstSeen(), i.lastSeen(),
                i.cameras(), i.bestScore(), i.evidence(), i.history(), i.serviceCode(), serviceRequestId, failed);
    }

    private StoredIncident transitioned(StoredIncident cur, IncidentState to, String actor, Instant at, String why) {
        Incident i = cur.incident();
        List<Transition> history = new ArrayList<>(i.history());
        history.add(new Transition(i.state(), to, actor, at, why));
        Incident next = new Incident(i.id(), i.type(), to, i.place(), i.address(), i.firstSeen(), i.lastSeen(),
                i.cameras(), i.bestScore(), i.evidence(), List.copyOf(history), i.serviceCode(),
                i.serviceRequestId(), i.deliveryFailed());
        Instant closedAt = to.isOpen() ? null : at;
        return cur.with(next, cur.zones(), to.isOpen() ? cur.activeZones() : List.of(), cur.eventIds(), closedAt);
    }

    /**
     * Puts the incident, its dedup entry, evidence metadata and (for a state change into {@code newState})
     * its outbox entries into {@code cs}, and makes it visible to later decisions.
     */
    private void stage(ChangeSet cs, StoredIncident next, IncidentState newState, List<Evidence> newEvidence) {
        Instant now = options.clock().instant();
        cs.put(Family.INCIDENTS, Codec.utf8(next.id()), Codec.write(next)).touched(next);
        DedupEntry entry = DedupEntry.of(next);
        if (dedup.put(entry, now)) {
            cs.put(Family.DEDUP, Codec.utf8(entry.storeKey()), Codec.write(entry));
        } else {
            cs.delete(Family.DEDUP, Codec.utf8(entry.storeKey()));
        }
        for (Evidence e : newEvidence) {
            if (!evidenceFiles.exists(e.sha256())) {
                // Retention may have removed an unreferenced copy since we stored it outside the lock.
                evidenceFiles.store(e.sha256(), e.jpeg());
            }
            cs.put(Family.EVIDENCE, Codec.utf8(e.sha256()), Codec.write(new EvidenceMeta(e.jpeg().length, now)));
        }
        if (newState != null) {
            Incident i = next.incident();
            if (kafka != null) {
                String type = Lifecycle.eventType(newState);
                String event = CloudEvents.incidentEvent(options.kafka().source(), next.id() + "/" + next.version(),
                        type, i.history().get(i.history().size() - 1).at(), i);
                outbox(cs, new OutboxEntry(0, OutboxEntry.KAFKA, next.id(), type, event, false, null));
            }
            if (open311 != null && newState == options.open311().submitAt() && i.serviceRequestId() == null
                    && options.open311().serviceCodes().containsKey(i.type())) {
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

    /** On the commit thread, after the write is durable: move versions from pending to the durable view. */
    private void committed(List<ChangeSet> changes) {
        List<Incident> changed = new ArrayList<>();
        List<String> announce = new ArrayList<>();
        boolean outbox = false;
        mutex.lock();
        try {
            for (ChangeSet cs : changes) {
                outbox |= cs.hasOutbox();
                for (StoredIncident s : cs.incidents()) {
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
                    changed.add(s.incident());
                    if (kafka == null && s.version() == 1) {
                        announce.add(s.id());
                    }
                }
            }
        } finally {
            mutex.unlock();
        }
        if (outbox) {
            workers.forEach(OutboxWorker::wake);
        }
        if (!listeners.isEmpty() && !changed.isEmpty()) {
            notifier.execute(() -> changed.forEach(this::notifyListeners));
        }
        announce.forEach(this::announceLater);
    }

    private void notifyListeners(Incident i) {
        for (Consumer<Incident> l : listeners) {
            try {
                l.accept(i);
            } catch (RuntimeException e) {
                log.warn("an incident listener failed on {}", i.id(), e);
            }
        }
    }

    /** Without Kafka: the incident is published once the in-process listeners have seen it. */
    private void announceLater(String id) {
        notifier.execute(() -> {
            if (!closed) {
                systemTransition(id, IncidentState.DETECTED, IncidentState.PENDING_REVIEW,
                        "stored and shown to operators", null, null);
            }
        });
    }

    /**
     * A change the bridge makes on its own (announce, case-system results), applied only when the incident is
     * still in {@code from} (null = any state); {@code extra} adds outbox deletions etc. to the same batch.
     */
    private void systemTransition(String id, IncidentState from, IncidentState to, String why,
                                  java.util.function.UnaryOperator<Incident> edit, Consumer<ChangeSet> extra) {
        await(systemChange(id, from, to, why, edit, extra));
    }

    /** As {@link #systemTransition}, but returns once queued: callers with many changes share one fsync. */
    private CompletableFuture<Void> systemChange(String id, IncidentState from, IncidentState to, String why,
                                                 java.util.function.UnaryOperator<Incident> edit,
                                                 Consumer<ChangeSet> extra) {
        mutex.lock();
        try {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            StoredIncident cur = currentOrNull(id);
            ChangeSet cs = new ChangeSet();
            if (extra != null) {
                extra.accept(cs);
            }
            if (cur != null) {
                StoredIncident next = cur;
                if (edit != null) {
                    next = next.with(edit.apply(next.incident()));
                }
                boolean move = to != null && (from == null || next.incident().state() == from);
                if (move) {
                    next = transitioned(next, to, SYSTEM, options.clock().instant(), why);
                }
                if (next != cur) {
                    stage(cs, next, move ? to : null, List.of());
                }
            }
            return cs.isEmpty() ? CompletableFuture.completedFuture(null) : commits.submit(cs);
        } finally {
            mutex.unlock();
        }
    }

    // ---------------------------------------------------------------- reading

    private StoredIncident current(String id) {
        StoredIncident s = currentOrNull(id);
        if (s == null) {
            throw new IllegalStateException("dedup index names incident " + id + " but the store has none");
        }
        return s;
    }

    /** Latest decided version (pending first): for decisions, under the mutex. */
    private StoredIncident currentOrNull(String id) {
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

    /** Durable view only: what readers may see. */
    private Optional<StoredIncident> durable(String id) {
        if (id == null) {
            return Optional.empty();
        }
        byte[] raw = store.get(Family.INCIDENTS, Codec.utf8(id));
        return raw == null ? Optional.empty() : Optional.of(Codec.read(raw, StoredIncident.class));
    }

    @Override
    public List<Incident> list(IncidentState state, IncidentType type) {
        List<Incident> all = new ArrayList<>();
        store.scan(Family.INCIDENTS, null, (k, v) -> {
            Incident i = Codec.read(v, StoredIncident.class).incident();
            if ((state == null || i.state() == state) && (type == null || i.type() == type)) {
                all.add(i);
            }
            return true;
        });
        all.sort(Comparator.comparing(Incident::firstSeen).thenComparing(Incident::id).reversed());
        return all;
    }

    @Override
    public Optional<Incident> get(String id) {
        return durable(id).map(StoredIncident::incident);
    }

    @Override
    public Optional<byte[]> evidence(String sha256) {
        return evidenceFiles.read(sha256);
    }

    @Override
    public AutoCloseable subscribe(Consumer<Incident> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Outbox entries per channel ("kafka", "open311"), dead letters included. */
    public Map<String, Integer> queued() {
        return perChannel(OutboxWorker::queued);
    }

    /**
     * Failed delivery attempts per channel since start ("kafka", "open311"): a receiver is down or refusing
     * when this grows (for /metrics; the outbox keeps what they could not take).
     */
    public Map<String, Long> deliveryFailures() {
        return perChannel(OutboxWorker::failures);
    }

    /** One figure of each configured delivery channel, by channel name. */
    private <T> Map<String, T> perChannel(Function<OutboxWorker, T> figure) {
        Map<String, T> m = new LinkedHashMap<>();
        if (kafka != null) {
            m.put("kafka", figure.apply(kafka));
        }
        if (open311 != null) {
            m.put("open311", figure.apply(open311));
        }
        return m;
    }

    /** Every outbox entry still stored, whatever channel (also those of channels not configured now). */
    public int outboxSize() {
        int[] n = {0};
        store.scan(Family.OUTBOX, null, (k, v) -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    /** [groups, changes] written so far: changes / groups is how many changes share one fsync. */
    public long[] commitStats() {
        return commits.stats();
    }

    // ---------------------------------------------------------------- evidence upkeep

    /**
     * Writes the frames of REJECTED incidents (false alarms: hard negatives for retraining) to
     * {@code dir/<type>/<sha256>.jpg} plus {@code dir/manifest.jsonl}, one line per frame. Returns the count.
     */
    public int exportHardNegatives(Path dir) {
        int n = 0;
        try {
            Files.createDirectories(dir);
            try (BufferedWriter manifest = Files.newBufferedWriter(dir.resolve("manifest.jsonl"))) {
                for (Incident i : list(IncidentState.REJECTED, null)) {
                    Transition rejection = i.history().get(i.history().size() - 1);
                    for (EvidenceRef e : i.evidence()) {
                        Path src = evidenceFiles.pathOf(e.sha256());
                        if (!Files.exists(src)) {
                            continue;
                        }
                        Path target = dir.resolve(i.type().wireName()).resolve(e.sha256() + ".jpg");
                        Files.createDirectories(target.getParent());
                        Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING);
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("file", dir.relativize(target).toString());
                        line.put("label", "not_" + i.type().wireName());
                        line.put("type", i.type().wireName());
                        line.put("incident", i.id());
                        line.put("sha256", e.sha256());
                        line.put("cameraId", e.cameraId());
                        line.put("role", e.role());
                        line.put("at", e.at().toString());
                        line.put("rejectedBy", rejection.actor());
                        line.put("reason", rejection.reason());
                        manifest.write(Codec.JSON.writeValueAsString(line));
                        manifest.newLine();
                        n++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export hard negatives to " + dir, e);
        }
        return n;
    }

    /**
     * Deletes evidence older than the retention age, then the oldest until under the byte budget; never what
     * an open incident shows.
     */
    public RetentionReport runRetention() {
        Instant now = options.clock().instant();
        Map<String, EvidenceMeta> all = new LinkedHashMap<>();
        store.scan(Family.EVIDENCE, null, (k, v) -> {
            all.put(new String(k, java.nio.charset.StandardCharsets.UTF_8), Codec.read(v, EvidenceMeta.class));
            return true;
        });
        long total = all.values().stream().mapToLong(EvidenceMeta::bytes).sum();
        int deleted = 0;
        long freed = 0;
        int kept;
        CompletableFuture<Void> durable = null;
        mutex.lock();
        try {
            checkOpen();
            Set<String> shown = new HashSet<>();
            open.values().forEach(s -> s.incident().evidence().forEach(r -> shown.add(r.sha256())));
            pending.values().forEach(s -> s.incident().evidence().forEach(r -> shown.add(r.sha256())));
            kept = (int) all.keySet().stream().filter(shown::contains).count();
            List<Map.Entry<String, EvidenceMeta>> candidates = all.entrySet().stream()
                    .filter(en -> !shown.contains(en.getKey()))
                    .sorted(Comparator.comparing(en -> en.getValue().lastUsed())).toList();
            Instant cutoff = now.minus(options.retention().maxAge());
            ChangeSet cs = new ChangeSet();
            long remaining = total;
            for (Map.Entry<String, EvidenceMeta> en : candidates) {
                boolean old = en.getValue().lastUsed().isBefore(cutoff);
                if (!old && remaining <= options.retention().maxBytes()) {
                    break;
                }
                evidenceFiles.delete(en.getKey());
                cs.delete(Family.EVIDENCE, Codec.utf8(en.getKey()));
                remaining -= en.getValue().bytes();
                freed += en.getValue().bytes();
                deleted++;
            }
            if (!cs.isEmpty()) {
                durable = commits.submit(cs);
            }
        } finally {
            mutex.unlock();
        }
        if (durable != null) {
            await(durable);
        }
        // File times are wall-clock times, whatever clock the bridge runs on.
        evidenceFiles.sweepOrphans(all.keySet(), Instant.now().minus(ORPHAN_AGE));
        return new RetentionReport(all.size(), total, deleted, freed, kept);
    }

    private void housekeep() {
        try {
            RetentionReport r = runRetention();
            if (r.deletedFiles() > 0) {
                log.atInfo().addKeyValue("deleted", r.deletedFiles()).addKeyValue("freedBytes", r.deletedBytes())
                        .log("evidence retention pass");
            }
            mutex.lock();
            CompletableFuture<Void> durable = null;
            try {
                List<DedupEntry> gone = dedup.prune(options.clock().instant());
                if (!gone.isEmpty()) {
                    ChangeSet cs = new ChangeSet();
                    gone.forEach(e -> cs.delete(Family.DEDUP, Codec.utf8(e.storeKey())));
                    durable = commits.submit(cs);
                }
            } finally {
                mutex.unlock();
            }
            if (durable != null) {
                await(durable);
            }
        } catch (RuntimeException e) {
            log.warn("housekeeping failed; will try again", e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the incident bridge is closed");
        }
        commits.checkHealthy();
    }

    private static void await(CompletableFuture<Void> durable) {
        try {
            durable.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Stops the workers (what they have not delivered stays in the outbox for next time), then the store. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        workers.forEach(OutboxWorker::close);
        housekeeping.shutdownNow();
        notifier.shutdown();
        try {
            notifier.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        commits.close();
        store.close();
    }

    /** Delivery results, applied as system changes. */
    private final class Sink implements DeliverySink {

        @Override
        public Optional<Incident> incident(String id) {
            return get(id);
        }

        @Override
        public void published(List<OutboxEntry> entries) {
            Map<String, List<OutboxEntry>> byIncident = new LinkedHashMap<>();
            entries.forEach(e -> byIncident.computeIfAbsent(e.incidentId(), k -> new ArrayList<>()).add(e));
            List<CompletableFuture<Void>> durable = new ArrayList<>();
            for (Map.Entry<String, List<OutboxEntry>> en : byIncident.entrySet()) {
                boolean detected = en.getValue().stream()
                        .anyMatch(e -> e.eventType().equals(Lifecycle.eventType(IncidentState.DETECTED)));
                durable.add(systemChange(en.getKey(), IncidentState.DETECTED,
                        detected ? IncidentState.PENDING_REVIEW : null, "published on " + options.kafka().topic(),
                        null, cs -> en.getValue().forEach(e -> cs.delete(Family.OUTBOX, e.key()))));
            }
            durable.forEach(IncidentBridge::await);
        }

        @Override
        public void submitted(OutboxEntry entry, String serviceRequestId) {
            boolean dispatch = options.open311().dispatchOnAccept();
            systemTransition(entry.incidentId(), IncidentState.CONFIRMED, dispatch ? IncidentState.DISPATCHED : null,
                    "case system accepted it as service request " + serviceRequestId,
                    i -> withDelivery(i, serviceRequestId, false),
                    cs -> cs.delete(Family.OUTBOX, entry.key()));
        }

        @Override
        public void discard(OutboxEntry entry, String why) {
            log.atDebug().addKeyValue("incident", entry.incidentId()).log("outbox entry dropped: {}", why);
            systemTransition(entry.incidentId(), null, null, why, null, cs -> cs.delete(Family.OUTBOX, entry.key()));
        }

        @Override
        public void deadLetter(OutboxEntry entry, String error) {
            systemTransition(entry.incidentId(), null, null, error,
                    i -> withDelivery(i, i.serviceRequestId(), true),
                    cs -> cs.put(Family.OUTBOX, entry.key(), Codec.write(entry.deadLettered(error))));
        }
    }
}

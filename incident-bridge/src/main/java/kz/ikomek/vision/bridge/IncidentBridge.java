package kz.ikomek.vision.bridge;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import kz.ikomek.vision.bridge.delivery.DeliverySink;
import kz.ikomek.vision.bridge.delivery.KafkaWorker;
import kz.ikomek.vision.bridge.delivery.Open311Worker;
import kz.ikomek.vision.bridge.delivery.OutboxWorker;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.bridge.evidence.EvidenceStore;
import kz.ikomek.vision.bridge.evidence.HardNegatives;
import kz.ikomek.vision.bridge.evidence.Retention;
import kz.ikomek.vision.bridge.evidence.RetentionReport;
import kz.ikomek.vision.bridge.owner.Decided;
import kz.ikomek.vision.bridge.owner.IncidentDecider;
import kz.ikomek.vision.bridge.owner.IncidentLookup;
import kz.ikomek.vision.bridge.read.IncidentReadModel;
import kz.ikomek.vision.bridge.standalone.LocalPartition;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.OutboxEntry;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode's incident bridge: the parts of the pipeline wired in one process. Candidates, clears and
 * actions go straight (the in-process transport) to the owner of the one place partition
 * ({@link LocalPartition}: {@link IncidentDecider}'s decisions, durable through group commit in RocksDB);
 * durable changes feed the {@link IncidentReadModel} (what the console reads and hears) and wake the delivery
 * workers, which read the outbox (Kafka, case system) on their own threads and report back as system changes.
 * Evidence retention and the hard-negative export are parts of their own. On open, whatever the outbox still
 * holds is sent again.
 *
 * <p>Thread-safe. {@link #submit} and {@link #recordAsync} return at once; nothing is acknowledged anywhere
 * before it is synced to disk.
 */
public final class IncidentBridge implements Incidents, CandidateIntake, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IncidentBridge.class);
    /** The actor of changes the bridge makes itself. */
    public static final String SYSTEM = IncidentDecider.SYSTEM;

    private final BridgeOptions options;
    private final BridgeStore store;
    private final EvidenceStore evidence;
    private final LocalPartition partition;
    private final IncidentReadModel readModel;
    private final Retention retention;
    private final ScheduledExecutorService housekeeping;
    private final List<OutboxWorker> workers = new ArrayList<>();
    private final KafkaWorker kafka;
    private final Open311Worker open311;
    private volatile boolean closed;

    private IncidentBridge(BridgeOptions options, BridgeStore store) {
        this.options = options;
        this.store = store;
        this.evidence = new EvidenceStore(store);
        this.readModel = new IncidentReadModel(store, raw -> Codec.read(raw, StoredIncident.class).incident());
        this.partition = new LocalPartition(options, store, evidence, this::durable);
        this.retention = new Retention(options.retention(), evidence);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bridge-housekeeping");
            t.setDaemon(true);
            return t;
        });
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

    /**
     * Opens the store under {@code options.dir()/db} (creating it when absent; a version 1 store's evidence files
     * under {@code dir/evidence} move into it), rebuilds the dedup index, and starts the delivery workers, which
     * first re-send whatever the outbox still holds.
     *
     * @throws kz.ikomek.vision.bridge.store.BridgeStoreException corrupt directory or wrong schema version
     */
    public static IncidentBridge open(BridgeOptions options) {
        BridgeStore store = BridgeStore.open(options.dir().resolve("db"));
        IncidentBridge bridge;
        try {
            if (store.legacy()) {
                new EvidenceStore(store).upgradeFrom(new EvidenceFiles(options.dir().resolve("evidence")));
            }
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
        partition.recover();
        if (kafka == null) {
            // Without a broker "published" means shown to the in-process listeners: announce what a crash left.
            partition.openIncidents().stream().filter(s -> s.incident().state() == IncidentState.DETECTED)
                    .map(StoredIncident::id).forEach(id -> readModel.changed(List.of(), () -> announce(id)));
        }
        log.atInfo().addKeyValue("open", partition.openIncidents().size())
                .addKeyValue("dedup", partition.dedupSize()).log("incident bridge opened at {}", options.dir());
    }

    // ---------------------------------------------------------------- detection side

    /**
     * Records a tracker's candidate: opens an incident, merges it into an open one of the same type and place,
     * or reports that a rejected / resolved incident suppresses it. Returns at once; the future completes with
     * what was decided once that is durable.
     *
     * @throws IllegalArgumentException the candidate is malformed (names the field)
     */
    public CompletableFuture<Recorded> recordAsync(Candidate c) {
        IncidentDecider.validate(c);
        return partition.decide(l -> partition.decider().candidate(c, options.clock().instant(), l), null);
    }

    /** {@link #recordAsync}, waiting until the change is durable. */
    public Recorded record(Candidate c) {
        return await(recordAsync(c));
    }

    @Override
    public CompletableFuture<Void> submit(Candidate candidate) {
        return recordAsync(candidate).thenApply(r -> null);
    }

    /**
     * The tracker's clear: the condition of {@code type} is gone from this camera zone. An incident that no
     * zone reports any more and nobody has acted on becomes EXPIRED; confirmed or dispatched ones stay for
     * people to resolve. The future gives the incidents that expired, once durable.
     */
    public CompletableFuture<List<Incident>> clearAsync(String cameraId, String zoneId, IncidentType type,
                                                        Instant at) {
        return partition.decide(l -> partition.decider().cleared(cameraId, zoneId, type, at,
                options.clock().instant(), l), null);
    }

    /** {@link #clearAsync}, waiting until durable. */
    public List<Incident> conditionCleared(String cameraId, String zoneId, IncidentType type, Instant at) {
        return await(clearAsync(cameraId, zoneId, type, at));
    }

    @Override
    public CompletableFuture<Void> cleared(String cameraId, String zoneId, IncidentType type, Instant at) {
        return clearAsync(cameraId, zoneId, type, at).thenApply(r -> null);
    }

    // ---------------------------------------------------------------- people side

    @Override
    public Incident act(String id, IncidentAction action, String actor, String reason) {
        IncidentDecider.checkAction(action, actor);
        return await(partition.decide(l -> partition.decider().act(id, action, actor, reason,
                options.clock().instant(), l), null));
    }

    /** Revives the incident's dead-lettered deliveries and clears its {@code deliveryFailed} flag. */
    public Incident retryDelivery(String id) {
        Incident result = await(partition.decide(l -> {
            if (l.get(id) == null) {
                throw new IncidentNotFoundException(id);
            }
            return partition.decider().system(id, null, null, null,
                    i -> IncidentDecider.withDelivery(i, i.serviceRequestId(), false), options.clock().instant(), l);
        }, cs -> store.scan(Family.OUTBOX, null, (k, v) -> {
            OutboxEntry e = Codec.read(v, OutboxEntry.class);
            if (e.deadLetter() && e.incidentId().equals(id)) {
                cs.put(Family.OUTBOX, e.key(), Codec.write(e.revived()));
            }
            return true;
        })));
        workers.forEach(OutboxWorker::wake);
        return result;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public List<Incident> list(IncidentState state, IncidentType type) {
        return readModel.list(state, type);
    }

    @Override
    public Optional<Incident> get(String id) {
        return readModel.get(id);
    }

    @Override
    public Optional<byte[]> evidence(String sha256) {
        return evidence.read(sha256);
    }

    @Override
    public AutoCloseable subscribe(Consumer<Incident> listener) {
        return readModel.subscribe(listener);
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
        return partition.commitStats();
    }

    // ---------------------------------------------------------------- evidence upkeep

    /**
     * Writes the frames of REJECTED incidents (false alarms: hard negatives for retraining) to
     * {@code dir/<type>/<sha256>.jpg} plus {@code dir/manifest.jsonl}, one line per frame. Returns the count.
     */
    public int exportHardNegatives(Path dir) {
        return HardNegatives.export(list(IncidentState.REJECTED, null), evidence::read, dir);
    }

    /**
     * Deletes evidence older than the retention age, then the oldest until under the byte budget; never what
     * an open incident shows.
     */
    public RetentionReport runRetention() {
        checkOpen();
        List<String> delete = new ArrayList<>();
        RetentionReport report = retention.plan(partition.shownEvidence(), options.clock().instant(), delete);
        if (!delete.isEmpty()) {
            await(partition.deleteEvidence(delete));
        }
        return report;
    }

    private void housekeep() {
        try {
            RetentionReport r = runRetention();
            if (r.deletedFiles() > 0) {
                log.atInfo().addKeyValue("deleted", r.deletedFiles()).addKeyValue("freedBytes", r.deletedBytes())
                        .log("evidence retention pass");
            }
            await(partition.pruneDedup());
        } catch (RuntimeException e) {
            log.warn("housekeeping failed; will try again", e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** On the commit thread, after a durable write: wake delivery, tell the read model's listeners. */
    private void durable(List<StoredIncident> changed) {
        if (changed.isEmpty()) {
            return;
        }
        workers.forEach(OutboxWorker::wake);
        List<String> created = kafka != null ? List.of()
                : changed.stream().filter(s -> s.version() == 1).map(StoredIncident::id).toList();
        readModel.changed(changed.stream().map(StoredIncident::incident).toList(),
                created.isEmpty() ? null : () -> created.forEach(this::announce));
    }

    /**
     * Without Kafka: the incident is published once the in-process listeners have seen it. Not waited for: the
     * announcements of a whole group share the next fsync.
     */
    private void announce(String id) {
        if (closed) {
            return;
        }
        try {
            partition.decide(l -> partition.decider().system(id, IncidentState.DETECTED,
                    IncidentState.PENDING_REVIEW, "stored and shown to operators", null, options.clock().instant(), l),
                    null).exceptionally(e -> {
                        log.warn("announcing {} failed", id, e);
                        return null;
                    });
        } catch (IllegalStateException e) {
            log.debug("not announcing {}: {}", id, e.getMessage());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the incident bridge is closed");
        }
    }

    private static <T> T await(CompletableFuture<T> durable) {
        try {
            return durable.join();
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
        readModel.close();
        closed = true;
        partition.close();
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
            List<CompletableFuture<Incident>> durable = new ArrayList<>();
            for (Map.Entry<String, List<OutboxEntry>> en : byIncident.entrySet()) {
                boolean detected = en.getValue().stream()
                        .anyMatch(e -> e.eventType().equals(Lifecycle.eventType(IncidentState.DETECTED)));
                durable.add(systemChange(en.getKey(), IncidentState.DETECTED,
                        detected ? IncidentState.PENDING_REVIEW : null, "published on " + options.kafka().topic(),
                        null, en.getValue(), null));
            }
            durable.forEach(IncidentBridge::await);
        }

        @Override
        public void submitted(OutboxEntry entry, String serviceRequestId) {
            await(settle(l -> partition.decider().filed(entry.incidentId(), serviceRequestId,
                    options.clock().instant(), l), List.of(entry), null));
        }

        @Override
        public void discard(OutboxEntry entry, String why) {
            log.atDebug().addKeyValue("incident", entry.incidentId()).log("outbox entry dropped: {}", why);
            await(systemChange(entry.incidentId(), null, null, why, null, List.of(entry), null));
        }

        @Override
        public void deadLetter(OutboxEntry entry, String error) {
            await(settle(l -> partition.decider().deliveryFailed(entry.incidentId(), error,
                    options.clock().instant(), l), List.of(), entry.deadLettered(error)));
        }

        /** A system change plus, in the same batch, the outbox entries it settles (deleted) or parks. */
        private CompletableFuture<Incident> systemChange(String id, IncidentState from, IncidentState to, String why,
                                                         java.util.function.UnaryOperator<Incident> edit,
                                                         List<OutboxEntry> settled, OutboxEntry parked) {
            return settle(l -> partition.decider().system(id, from, to, why, edit, options.clock().instant(), l),
                    settled, parked);
        }

        private CompletableFuture<Incident> settle(Function<IncidentLookup, Decided<Incident>> decision,
                                                   List<OutboxEntry> settled, OutboxEntry parked) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            return partition.decide(decision, cs -> {
                settled.forEach(e -> cs.delete(Family.OUTBOX, e.key()));
                if (parked != null) {
                    cs.put(Family.OUTBOX, parked.key(), Codec.write(parked));
                }
            });
        }
    }
}

package kz.ikomek.vision.bridge.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.delivery.DeliverySink;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.delivery.Open311Worker;
import kz.ikomek.vision.bridge.owner.Announcements;
import kz.ikomek.vision.bridge.read.IncidentReadModel;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.OutboxEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open311 delivery in cluster mode: standalone's {@link Open311Worker} over a worker-local outbox. The workers
 * share the partitions of {@link ClusterTopics#INCIDENT_STATE} in the consumer group {@code <group>-open311};
 * an incident that is due (in the submit state, no service request id yet, a service code) gets an outbox
 * entry here, synced, before the offset is committed; the worker files it with {@code Idempotency-Key: <incident
 * id>}, and the answer goes to the incident's owner as a FILED (or DELIVERY_FAILED) command. A worker that dies
 * between filing and reporting leaves the entry to the partition's next reader: the key makes the case system
 * answer with the same request, so the case system sees each incident once.
 */
final class ClusterDelivery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterDelivery.class);
    private static final byte[] NEXT_SEQ_KEY = Codec.utf8("outbox-next-seq");

    private final Open311Options open311;
    private final IncidentReadModel readModel;
    private final BiFunction<Incident, PartitionCommand, CompletableFuture<Void>> toOwner;
    private final BridgeStore outbox;
    private final Open311Worker worker;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    /**
     * Incidents with an entry here, as their due record showed them: a run of state records of one incident files
     * it once, and the filing never waits for this worker's read model, which reads the same topic with a consumer
     * of its own and may not have the incident yet (it once discarded the entry as "no longer stored").
     */
    private final Map<String, Incident> queued = new HashMap<>();
    private long nextSeq;
    private volatile boolean running = true;

    ClusterDelivery(ClusterBridgeOptions options, Properties consumerProperties, IncidentReadModel readModel,
                    BiFunction<Incident, PartitionCommand, CompletableFuture<Void>> toOwner) {
        this.open311 = options.bridge().open311();
        this.readModel = readModel;
        this.toOwner = toOwner;
        this.outbox = BridgeStore.open(options.bridge().dir().resolve("delivery"));
        byte[] seq = outbox.get(Family.META, NEXT_SEQ_KEY);
        this.nextSeq = seq == null ? 1 : ByteBuffer.wrap(seq).getLong();
        outbox.scan(Family.OUTBOX, null, (k, v) -> {
            OutboxEntry e = Codec.read(v, OutboxEntry.class);
            queued.put(e.incidentId(), e.payload() == null ? null : Codec.read(Codec.utf8(e.payload()), Incident.class));
            return true;
        });
        this.worker = new Open311Worker(open311, outbox, new Sink(), options.bridge().retry(),
                options.bridge().clock());
        Properties p = new Properties();
        p.putAll(consumerProperties);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.group() + "-open311");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, options.applicationId() + "-open311-" + options.workerId());
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "bridge-open311-" + options.workerId());
        this.thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(ClusterTopics.INCIDENT_STATE));
        worker.start();
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                boolean added = false;
                try (WriteBatch batch = new WriteBatch()) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.value() == null) {
                            continue;
                        }
                        Incident i = Codec.read(r.value(), Incident.class);
                        boolean fresh;
                        synchronized (queued) {
                            fresh = Announcements.open311Due(open311, i, i.state()) && !queued.containsKey(i.id());
                            if (fresh) {
                                queued.put(i.id(), i);
                            }
                        }
                        if (fresh) {
                            // The incident as due goes with the entry: what is filed if the read model lags.
                            OutboxEntry e = new OutboxEntry(nextSeq++, OutboxEntry.OPEN311, i.id(), "submit",
                                    new String(r.value(), StandardCharsets.UTF_8), false, null);
                            batch.put(outbox.handle(Family.OUTBOX), e.key(), Codec.write(e));
                            batch.put(outbox.handle(Family.META), NEXT_SEQ_KEY,
                                    ByteBuffer.allocate(8).putLong(nextSeq).array());
                            added = true;
                        }
                    }
                    if (added) {
                        outbox.write(batch);
                    }
                }
                // Only once the entries are on disk: a crash before this re-reads the records, never loses one.
                consumer.commitSync();
                if (added) {
                    worker.wake();
                }
            } catch (WakeupException e) {
                return;
            } catch (RocksDBException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("cluster delivery failed a round; retrying", e);
            }
        }
    }

    private void settle(OutboxEntry e, OutboxEntry parked) {
        try (WriteBatch batch = new WriteBatch()) {
            if (parked == null) {
                batch.delete(outbox.handle(Family.OUTBOX), e.key());
            } else {
                batch.put(outbox.handle(Family.OUTBOX), e.key(), Codec.write(parked));
            }
            outbox.write(batch);
        } catch (RocksDBException ex) {
            throw new IllegalStateException("cannot settle outbox entry of " + e.incidentId(), ex);
        }
        if (parked == null) {
            synchronized (queued) {
                queued.remove(e.incidentId());
            }
        }
    }

    /** Results go to the incident's owner; the local entry goes once the owner's topic has them. */
    private final class Sink implements DeliverySink {

        /** The read model's view, else the incident as its due record showed it. */
        @Override
        public Optional<Incident> incident(String id) {
            Optional<Incident> shown = readModel.get(id);
            if (shown.isPresent()) {
                return shown;
            }
            synchronized (queued) {
                return Optional.ofNullable(queued.get(id));
            }
        }

        @Override
        public void published(List<OutboxEntry> entries) {
            throw new IllegalStateException("cluster delivery has no Kafka outbox");
        }

        @Override
        public void submitted(OutboxEntry entry, String serviceRequestId) {
            report(entry, PartitionCommand.Kind.FILED, serviceRequestId);
            settle(entry, null);
        }

        @Override
        public void discard(OutboxEntry entry, String why) {
            settle(entry, null);
        }

        @Override
        public void deadLetter(OutboxEntry entry, String error) {
            report(entry, PartitionCommand.Kind.DELIVERY_FAILED, error);
            settle(entry, entry.deadLettered(error));
        }

        private void report(OutboxEntry entry, PartitionCommand.Kind kind, String detail) {
            Incident i = incident(entry.incidentId()).orElseThrow(() -> new IllegalStateException(
                    "incident " + entry.incidentId() + " is neither in this worker's read model nor its outbox"));
            toOwner.apply(i, PartitionCommand.delivery(kind, i.id(), detail)).join();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        worker.close();
        outbox.close();
    }
}

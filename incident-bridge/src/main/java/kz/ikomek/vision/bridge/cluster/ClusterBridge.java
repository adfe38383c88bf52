package kz.ikomek.vision.bridge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import kz.ikomek.vision.bridge.CandidateIntake;
import kz.ikomek.vision.bridge.IllegalTransitionException;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentNotFoundException;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Incidents;
import kz.ikomek.vision.bridge.Lifecycle;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.bridge.delivery.KafkaOptions;
import kz.ikomek.vision.bridge.evidence.EvidenceStore;
import kz.ikomek.vision.bridge.owner.IncidentDecider;
import kz.ikomek.vision.bridge.read.IncidentReadModel;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's incident bridge in cluster mode: the same pipeline as {@link kz.ikomek.vision.bridge.IncidentBridge}
 * with Kafka as the transport. Candidates and clears go to the owner of their place partition (key = dedup
 * group) on {@link ClusterTopics#CANDIDATES}; the owner is this or another worker's Kafka Streams task running
 * {@link IncidentProcessor} (exactly-once v2, RocksDB store restored from its changelog when the partition
 * moves). What the console reads comes from a read model on this worker that {@code ikomek.incident-state.v1}
 * (every change of every incident) and {@code ikomek.evidence.v1} feed; an action goes to the incident's owner on {@link ClusterTopics#ACTIONS} and
 * returns once this worker's read model shows its outcome. With {@code open311} configured, the workers share
 * the filing with the case system ({@link ClusterDelivery}).
 */
public final class ClusterBridge implements Incidents, CandidateIntake, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterBridge.class);
    /** How long an action waits for its owner's answer to reach this worker's read model. */
    static final Duration ACTION_ANSWER = Duration.ofSeconds(15);

    private final ClusterBridgeOptions options;
    private final KafkaStreams streams;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> feed;
    private final BridgeStore readStore;
    private final IncidentReadModel readModel;
    /** The frames {@code ikomek.evidence.v1} brought, in the read store's {@code frames} family. */
    private final EvidenceStore frames;
    private final Thread feeder;
    /** Open311 filing, when {@code bridge.open311} is configured; else null. */
    private final ClusterDelivery delivery;
    private volatile boolean running = true;

    private ClusterBridge(ClusterBridgeOptions options, BridgeStore readStore) {
        this.options = options;
        this.readStore = readStore;
        this.readModel = new IncidentReadModel(readStore, raw -> Codec.read(raw, Incident.class));
        this.frames = new EvidenceStore(readStore);
        this.producer = new KafkaProducer<>(producerProperties(options), new StringSerializer(),
                new ByteArraySerializer());
        this.feed = new KafkaConsumer<>(feedProperties(options), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.streams = new KafkaStreams(topology(options), streamsProperties(options));
        this.feeder = new Thread(this::feed, "bridge-read-model-" + options.workerId());
        this.feeder.setDaemon(true);
        this.delivery = options.bridge().open311() == null ? null
                : new ClusterDelivery(options, common(options), readModel,
                        (incident, command) -> send(ClusterTopics.ACTIONS, ownerKey(incident), command));
    }

    /**
     * Creates the topics when absent, starts this worker's Streams owner and its read model (rebuilt from the
     * topics on every start: it is a cache of them).
     *
     * @throws IllegalStateException the brokers cannot be reached or refuse the topics (names the cause)
     */
    public static ClusterBridge start(ClusterBridgeOptions options) {
        createTopics(options);
        Path readDir = options.bridge().dir().resolve("read");
        deleteTree(readDir);
        BridgeStore readStore = BridgeStore.open(readDir);
        ClusterBridge bridge;
        try {
            bridge = new ClusterBridge(options, readStore);
        } catch (RuntimeException e) {
            readStore.close();
            throw e;
        }
        List<TopicPartition> feedParts = new ArrayList<>();
        for (String topic : List.of(ClusterTopics.INCIDENT_STATE, ClusterTopics.EVIDENCE)) {
            bridge.feed.partitionsFor(topic).forEach(p -> feedParts.add(new TopicPartition(topic, p.partition())));
        }
        bridge.feed.assign(feedParts);
        bridge.feed.seekToBeginning(feedParts);
        bridge.feeder.start();
        bridge.streams.start();
        if (bridge.delivery != null) {
            bridge.delivery.start();
        }
        return bridge;
    }

    /** True once this worker's Streams owner runs (it may own no partition, when others hold them all). */
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    // ---------------------------------------------------------------- detection side

    @Override
    public CompletableFuture<Void> submit(Candidate candidate) {
        IncidentDecider.validate(candidate);
        return send(ClusterTopics.CANDIDATES, options.groups().groupOf(candidate.cameraId(), candidate.place()),
                PartitionCommand.candidate(candidate));
    }

    @Override
    public CompletableFuture<Void> cleared(String cameraId, String zoneId, IncidentType type, Instant at) {
        return send(ClusterTopics.CANDIDATES, options.groups().groupOf(cameraId, null),
                PartitionCommand.cleared(cameraId, zoneId, type, at));
    }

    /** The key of the partition that owns {@code incident}: the dedup group of the camera that opened it. */
    private String ownerKey(Incident incident) {
        return options.groups().groupOf(incident.cameras().get(0), incident.place());
    }

    private CompletableFuture<Void> send(String topic, String key, PartitionCommand command) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key, Codec.write(command)), (md, e) -> {
            if (e == null) {
                acked.complete(null);
            } else {
                acked.completeExceptionally(e);
            }
        });
        return acked;
    }

    // ---------------------------------------------------------------- people side

    /**
     * Sends the action to the incident's owner and returns once this worker's read model shows it applied.
     *
     * @throws IncidentNotFoundException  this worker's read model has no such incident
     * @throws IllegalTransitionException not allowed from the state it shows (or, racing, the owner refused)
     */
    @Override
    public Incident act(String id, IncidentAction action, String actor, String reason) {
        IncidentDecider.checkAction(action, actor);
        Incident cur = readModel.get(id).orElseThrow(() -> new IncidentNotFoundException(id));
        if (!Lifecycle.allowed(cur.state(), action)) {
            throw new IllegalTransitionException(id, cur.state(), action);
        }
        IncidentState target = Lifecycle.target(action);
        int seen = cur.history().size();
        CompletableFuture<Incident> answered = new CompletableFuture<>();
        Consumer<Incident> watch = i -> {
            if (!i.id().equals(id) || i.history().size() <= seen) {
                return;
            }
            for (Transition t : i.history().subList(seen, i.history().size())) {
                if (t.to() == target && actor.equals(t.actor())) {
                    answered.complete(i);
                    return;
                }
            }
            if (!Lifecycle.allowed(i.state(), action)) {
                answered.completeExceptionally(new IllegalTransitionException(id, i.state(), action));
            }
        };
        try (AutoCloseable subscription = readModel.subscribe(watch)) {
            send(ClusterTopics.ACTIONS, ownerKey(cur), PartitionCommand.action(id, action, actor, reason))
                    .get(ACTION_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
            readModel.get(id).ifPresent(watch);
            return answered.get(ACTION_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("action " + action + " on " + id + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the owner of incident " + id + " did not answer " + action + " within "
                    + ACTION_ANSWER.toSeconds() + " s; is its partition's worker running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while acting on " + id, e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        return frames.read(sha256);
    }

    @Override
    public AutoCloseable subscribe(Consumer<Incident> listener) {
        return readModel.subscribe(listener);
    }

    /**
     * The read model's loop: the incident-state and evidence topics, read committed, into the local store. A
     * round that fails is read again (the consumer's position has moved past it already).
     */
    private void feed() {
        while (running) {
            ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
            try {
                records = feed.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                List<Incident> changed = new ArrayList<>();
                try (WriteBatch batch = new WriteBatch()) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.topic().equals(ClusterTopics.EVIDENCE)) {
                            if (r.value() == null) {
                                batch.delete(readStore.handle(Family.FRAMES), r.key());
                            } else {
                                batch.put(readStore.handle(Family.FRAMES), r.key(), r.value());
                            }
                            continue;
                        }
                        if (r.value() == null) {
                            continue;
                        }
                        Incident i = incidentOf(r);
                        if (i != null) {
                            batch.put(readStore.handle(Family.INCIDENTS), r.key(), r.value());
                            changed.add(i);
                        }
                    }
                    // Unsynced: the read model is rebuilt from the topics on every start.
                    readStore.writeUnsynced(batch);
                }
                if (!changed.isEmpty()) {
                    readModel.changed(changed, null);
                }
            } catch (WakeupException e) {
                return;
            } catch (RocksDBException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("the incident read model failed a round of {} records; reading it again", records.count(), e);
                rewind(records);
            }
        }
    }

    private void rewind(ConsumerRecords<byte[], byte[]> round) {
        for (TopicPartition p : round.partitions()) {
            feed.seek(p, round.records(p).get(0).offset());
        }
    }

    private static Incident incidentOf(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Codec.read(r.value(), Incident.class);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("offset", r.offset()).addKeyValue("partition", r.partition())
                    .log("not an incident on {}, skipped: {}", r.topic(), e.getMessage());
            return null;
        }
    }

    // ---------------------------------------------------------------- wiring

    static Topology topology(ClusterBridgeOptions options) {
        String source = KafkaOptions.DEFAULT_SOURCE;
        Topology t = new Topology();
        t.addSource("commands", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                ClusterTopics.CANDIDATES, ClusterTopics.ACTIONS);
        t.addProcessor("owner", () -> new IncidentProcessor(options.bridge(), source), "commands");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ClusterTopics.STORE),
                Serdes.String(), Serdes.ByteArray()), "owner");
        t.addSink(IncidentProcessor.TO_INCIDENTS, ClusterTopics.INCIDENTS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), "owner");
        t.addSink(IncidentProcessor.TO_STATE, ClusterTopics.INCIDENT_STATE, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), "owner");
        t.addSink(IncidentProcessor.TO_EVIDENCE, ClusterTopics.EVIDENCE, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), "owner");
        return t;
    }

    private static Properties common(ClusterBridgeOptions options) {
        Properties p = new Properties();
        p.put("bootstrap.servers", options.bootstrap());
        p.putAll(options.clientProperties());
        return p;
    }

    private static Properties streamsProperties(ClusterBridgeOptions options) {
        Properties p = common(options);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, options.applicationId());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, options.applicationId() + "-" + options.workerId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, options.bridge().dir().resolve("streams").toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) options.replication());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        return p;
    }

    private static Properties producerProperties(ClusterBridgeOptions options) {
        Properties p = common(options);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, options.applicationId() + "-intake-" + options.workerId());
        return p;
    }

    private static Properties feedProperties(ClusterBridgeOptions options) {
        Properties p = common(options);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, options.applicationId() + "-read-" + options.workerId());
        return p;
    }

    private static void createTopics(ClusterBridgeOptions options) {
        int n = options.partitions();
        short rf = options.replication();
        List<NewTopic> topics = List.of(
                new NewTopic(ClusterTopics.CANDIDATES, n, rf),
                new NewTopic(ClusterTopics.ACTIONS, n, rf),
                new NewTopic(ClusterTopics.INCIDENTS, n, rf),
                new NewTopic(ClusterTopics.INCIDENT_STATE, n, rf).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(ClusterTopics.EVIDENCE, n, rf).configs(Map.of("cleanup.policy", "compact")));
        try (Admin admin = Admin.create(common(options))) {
            Map<String, Throwable> failed = new HashMap<>();
            admin.createTopics(topics).values().forEach((name, f) -> {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        failed.put(name, e.getCause());
                    }
                } catch (InterruptedException | TimeoutException e) {
                    failed.put(name, e);
                }
            });
            if (!failed.isEmpty()) {
                throw new IllegalStateException("cluster.kafka " + options.bootstrap()
                        + ": cannot create the bridge's topics: " + failed);
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the read model at " + dir, e);
        }
    }

    /** Leaves the group (its partitions move to the other workers at once), then stops the read model. */
    @Override
    public void close() {
        if (delivery != null) {
            delivery.close();
        }
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        producer.close(Duration.ofSeconds(10));
        running = false;
        feed.wakeup();
        try {
            feeder.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feed.close();
        readModel.close();
        readStore.close();
    }
}

package kz.ikomek.vision.ingest.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import kz.ikomek.vision.config.ClusterConfig;
import kz.ikomek.vision.ingest.health.CameraHealth;
import kz.ikomek.vision.ingest.health.CameraState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every camera's health, seen from any worker: each worker writes the health of the cameras it runs to the
 * compacted topic {@value #TOPIC} (key = camera id) every {@link #EVERY}, and reads everyone's reports back, so
 * the console of any worker lists every camera of the cluster with the worker that runs it. A report older than
 * {@link #STALE} is dropped from the view: its worker died (another one reports the camera once the group gave it
 * over) or the camera was removed.
 */
public final class CameraHealthTopic implements AutoCloseable {

    public static final String TOPIC = "ikomek.camera-health.v1";
    static final Duration EVERY = Duration.ofSeconds(5);
    static final Duration STALE = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(CameraHealthTopic.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One camera as its worker last reported it. */
    public record Report(String worker, Instant at, CameraHealth health) {}

    private final ClusterConfig cluster;
    private final WorkerId worker;
    private final Supplier<List<CameraHealth>> local;
    private final Clock clock;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;

    private CameraHealthTopic(ClusterConfig cluster, WorkerId worker, Supplier<List<CameraHealth>> local, Clock clock) {
        this.cluster = cluster;
        this.worker = worker;
        this.local = local;
        this.clock = clock;
        Map<String, Object> pp = KafkaClients.base(cluster, "ikomek-health-out-" + worker.id());
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // A lost report is replaced by the next one: no need to wait for every replica.
        pp.put(ProducerConfig.ACKS_CONFIG, "1");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        this.producer = new KafkaProducer<>(pp);
        Map<String, Object> cp = KafkaClients.base(cluster, "ikomek-health-in-" + worker.id());
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cp.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(cp);
        this.thread = new Thread(this::loop, "camera-health-" + worker.id());
        this.thread.setDaemon(true);
    }

    /**
     * Creates the topic when absent and starts reporting {@code local} (the cameras this worker runs) and reading
     * everyone's reports.
     *
     * @throws ClusterException the brokers cannot be reached
     */
    public static CameraHealthTopic start(ClusterConfig cluster, WorkerId worker, Supplier<List<CameraHealth>> local) {
        return start(cluster, worker, local, Clock.systemUTC());
    }

    static CameraHealthTopic start(ClusterConfig cluster, WorkerId worker, Supplier<List<CameraHealth>> local,
                                   Clock clock) {
        CompactedTopic.ensure(cluster, "ikomek-health-admin-" + worker.id(), TOPIC, cluster.partitions());
        CameraHealthTopic topic = new CameraHealthTopic(cluster, worker, local, clock);
        List<TopicPartition> parts = topic.consumer.partitionsFor(TOPIC, CameraTopic.REACH_TIMEOUT).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        topic.consumer.assign(parts);
        topic.consumer.seekToBeginning(parts);
        topic.thread.start();
        return topic;
    }

    /** The latest fresh report of every camera of the cluster (this worker's included, as last written). */
    public List<Report> reports() {
        Instant oldest = clock.instant().minus(STALE);
        List<Report> fresh = new ArrayList<>();
        for (Report r : reports.values()) {
            if (!r.at().isBefore(oldest)) {
                fresh.add(r);
            }
        }
        return fresh;
    }

    /** The camera's latest report, when it is fresh. */
    public Optional<Report> report(String cameraId) {
        Report r = reports.get(cameraId);
        return r == null || r.at().isBefore(clock.instant().minus(STALE)) ? Optional.empty()
                : Optional.of(r);
    }

    private void loop() {
        Instant next = Instant.MIN;
        while (!closing) {
            try {
                Instant now = clock.instant();
                if (!now.isBefore(next)) {
                    for (CameraHealth h : local.get()) {
                        producer.send(new ProducerRecord<>(TOPIC, h.cameraId(), toJson(worker.id(), now, h)));
                    }
                    next = now.plus(EVERY);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        reports.remove(r.key());
                        continue;
                    }
                    try {
                        reports.put(r.key(), fromJson(r.key(), r.value()));
                    } catch (IOException | RuntimeException e) {
                        log.atWarn().addKeyValue("camera", r.key()).log("unreadable camera health on {} skipped: {}",
                                TOPIC, e.getMessage());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closing) {
                    return;
                }
                // The brokers away: health shown elsewhere goes stale and falls out; this worker's own stays live.
                log.warn("camera health exchange on {} failed a round; retrying: {}", TOPIC, e.toString());
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(EVERY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String toJson(String worker, Instant at, CameraHealth h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("worker", worker).put("at", at.toString()).put("state", h.state().wireName())
                .put("lastFrameAt", h.lastFrameAt() == null ? null : h.lastFrameAt().toString())
                .put("fps", h.fps())
                .put("keyframeIntervalMs", h.keyframeInterval() == null ? null : h.keyframeInterval().toMillis())
                .put("reconnects", h.reconnects()).put("framesDropped", h.framesDropped())
                .put("lastError", h.lastError()).put("lagMs", h.lag().toMillis()).put("shedLooks", h.shedLooks());
        return n.toString();
    }

    static Report fromJson(String camera, String json) throws IOException {
        JsonNode n = JSON.readTree(json);
        CameraState state = CameraState.fromWire(n.get("state").asText()).orElseThrow(() ->
                new IllegalArgumentException("unknown camera state " + n.get("state")));
        CameraHealth h = new CameraHealth(camera, state, instant(n.get("lastFrameAt")), n.get("fps").asDouble(),
                n.get("keyframeIntervalMs").isNull() ? null : Duration.ofMillis(n.get("keyframeIntervalMs").asLong()),
                n.get("reconnects").asLong(), n.get("framesDropped").asLong(),
                n.get("lastError").isNull() ? null : n.get("lastError").asText(),
                Duration.ofMillis(n.get("lagMs").asLong()), n.get("shedLooks").asLong());
        return new Report(n.get("worker").asText(), Instant.parse(n.get("at").asText()), h);
    }

    private static Instant instant(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        consumer.close();
    }
}

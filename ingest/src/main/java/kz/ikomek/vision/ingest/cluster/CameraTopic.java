package kz.ikomek.vision.ingest.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.CameraRecords;
import kz.ikomek.vision.config.ClusterConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted camera topic ({@code ikomek.cameras.v1}): one record per camera, key = camera id, value = the
 * camera as JSON ({@link CameraRecords}), a tombstone when a camera is removed. The topic is the registry the
 * workers share; {@code run} publishes a config into it and {@link CameraGroup} runs what it holds.
 */
public final class CameraTopic {

    /** How long a worker waits for the brokers at start before it says it cannot reach them. */
    static final Duration REACH_TIMEOUT = Duration.ofSeconds(30);

    /** What {@link #publish} changed: records written for new, changed and removed cameras. */
    public record Published(int added, int changed, int removed, int unchanged) {
        public int written() {
            return added + changed + removed;
        }
    }

    private CameraTopic() {
    }

    /**
     * The partition the producer's default partitioner puts a camera in (murmur2 of the key, as Kafka's
     * {@code BuiltInPartitioner} computes it for keyed records), so a reader can say which partition, and so which
     * worker, holds a camera without reading the topic.
     */
    public static int partitionOf(String cameraId, int partitions) {
        return BuiltInPartitioner.partitionForKey(cameraId.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /**
     * Creates the topic (compacted, {@code cluster.partitions} partitions, the brokers' default replication) unless
     * it exists; returns its partition count.
     *
     * @throws ClusterException the brokers cannot be reached, or the topic exists with another partition count
     */
    public static int ensure(ClusterConfig cluster, String clientId) {
        String topic = cluster.camerasTopic();
        int count = CompactedTopic.ensure(cluster, clientId, topic, cluster.partitions()).partitions().size();
        if (count != cluster.partitions()) {
            throw new ClusterException("cluster.partitions: " + cluster.partitions() + ", but topic " + topic
                    + " already has " + count + " partitions; set cluster.partitions: " + count + " (a new count "
                    + "would move cameras between partitions)");
        }
        return count;
    }

    /** Every live camera record, camera id → JSON, read from the start of each partition to its current end. */
    public static Map<String, String> read(ClusterConfig cluster, String clientId) {
        Map<String, Object> p = KafkaClients.base(cluster, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis());
        // Reading must never create the topic (with the broker's defaults: not compacted).
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Map<String, String> cameras = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = consumer.partitionsFor(cluster.camerasTopic(), REACH_TIMEOUT).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts, REACH_TIMEOUT));
            long deadline = System.nanoTime() + REACH_TIMEOUT.toNanos();
            while (!end.isEmpty()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        cameras.remove(r.key());
                    } else {
                        cameras.put(r.key(), r.value());
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (System.nanoTime() > deadline) {
                    throw new ClusterException("reading " + cluster.camerasTopic() + " from " + cluster.kafka()
                            + " did not finish within " + REACH_TIMEOUT.toSeconds() + " s");
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw ClusterException.unreachable(cluster, e);
        }
        return cameras;
    }

    /**
     * Makes the topic hold exactly these cameras: writes a record for each new or changed camera and a tombstone for
     * each camera no longer listed, and nothing else, so publishing the same config twice writes nothing. An empty
     * list publishes nothing at all: a worker started with {@code cameras: []} only joins.
     */
    public static Published publish(ClusterConfig cluster, String clientId, List<CameraConfig> cameras) {
        if (cameras.isEmpty()) {
            return new Published(0, 0, 0, 0);
        }
        Map<String, String> current = read(cluster, clientId);
        Map<String, String> wanted = new LinkedHashMap<>();
        for (CameraConfig c : cameras) {
            wanted.put(c.id(), CameraRecords.toJson(c));
        }
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        int added = 0;
        int changed = 0;
        int unchanged = 0;
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String now = current.get(w.getKey());
            if (w.getValue().equals(now)) {
                unchanged++;
                continue;
            }
            if (now == null) {
                added++;
            } else {
                changed++;
            }
            records.add(new ProducerRecord<>(cluster.camerasTopic(), w.getKey(), w.getValue()));
        }
        Set<String> gone = new java.util.TreeSet<>(current.keySet());
        gone.removeAll(wanted.keySet());
        for (String id : gone) {
            records.add(new ProducerRecord<>(cluster.camerasTopic(), id, null));
        }
        if (!records.isEmpty()) {
            send(cluster, clientId, records);
        }
        return new Published(added, changed, gone.size(), unchanged);
    }

    private static void send(ClusterConfig cluster, String clientId, List<ProducerRecord<String, String>> records) {
        Map<String, Object> p = KafkaClients.base(cluster, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis() / 2);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, String> r : records) {
                sent.add(producer.send(r));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw ClusterException.unreachable(cluster, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while publishing cameras to " + cluster.kafka());
        }
    }
}

package kz.ikomek.vision.ingest.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.CameraRecords;
import kz.ikomek.vision.config.ClusterConfig;
import kz.ikomek.vision.config.ConfigException;
import kz.ikomek.vision.config.Urls;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's share of the cameras: a member of the consumer group {@code cluster.group} on the camera topic.
 * Kafka's group protocol hands each member some partitions; the member runs the cameras those partitions hold
 * and follows their edits live. The cooperative-sticky assignor moves only the partitions that must move: when a
 * worker joins, the others give up a share (stopping those cameras first); when one dies, the group notices
 * after {@link #SESSION_TIMEOUT} and hands its partitions to the living.
 *
 * <p>Each assigned partition is read from its start (the topic is compacted, so that is one record per camera
 * plus recent edits) and applied only once caught up to the end it had at assignment, so a camera edited ten
 * times starts once, in its latest form. Offsets are never committed: the topic is the registry, not a queue.
 *
 * <p>{@link Cameras} is called from the group's own thread, one call at a time.
 */
public final class CameraGroup implements AutoCloseable {

    /**
     * How long the group waits for a silent member before giving its cameras to others. kill -9 to every camera
     * running again is this, plus a heartbeat for the others to hear of it, plus one rebalance and the cameras'
     * connect; 15 s leaves that well under a minute, and is long enough that a worker busy decoding (heartbeats
     * come from the client's own thread) or a long GC pause does not lose its cameras.
     */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(15);
    static final Duration HEARTBEAT = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(CameraGroup.class);

    /** What a worker does with its cameras. */
    public interface Cameras {
        /** Starts the camera, or restarts it with its new settings. */
        void run(CameraConfig camera);

        /** Stops the camera; returns when it no longer reads its stream. */
        void stop(String cameraId);
    }

    private final ClusterConfig cluster;
    private final WorkerId worker;
    private final Cameras cameras;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Per assigned partition, the cameras it holds and this worker runs (the group thread writes, anyone reads). */
    private final Map<TopicPartition, Map<String, CameraConfig>> running = new ConcurrentHashMap<>();
    /** Partitions still being read up to their end offset at assignment, with what was read so far. */
    private final Map<TopicPartition, CatchUp> catchingUp = new HashMap<>();
    private volatile boolean closing;

    private record CatchUp(long end, Map<String, String> latest) {}

    private CameraGroup(ClusterConfig cluster, WorkerId worker, Cameras cameras) {
        this.cluster = cluster;
        this.worker = worker;
        this.cameras = cameras;
        Map<String, Object> p = KafkaClients.base(cluster, worker.id());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, cluster.group());
        // The classic protocol: the cooperative-sticky assignor runs in the members (KIP-429).
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) HEARTBEAT.toMillis());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::loop, "camera-group");
        thread.setDaemon(true);
    }

    /** Joins the group; the cameras of the partitions it is given start from the group's thread. */
    public static CameraGroup join(ClusterConfig cluster, WorkerId worker, Cameras cameras) {
        CameraGroup group = new CameraGroup(cluster, worker, cameras);
        group.thread.start();
        return group;
    }

    /** The cameras this worker runs now, by id. */
    public Map<String, CameraConfig> running() {
        Map<String, CameraConfig> all = new TreeMap<>();
        running.values().forEach(all::putAll);
        return all;
    }

    /** Whether this worker runs the camera now (without copying {@link #running()}: asked per camera listed). */
    public boolean runs(String cameraId) {
        for (Map<String, CameraConfig> mine : running.values()) {
            if (mine.containsKey(cameraId)) {
                return true;
            }
        }
        return false;
    }

    public WorkerId worker() {
        return worker;
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(cluster.camerasTopic()), new Rebalance());
            while (!closing) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    CatchUp c = catchingUp.get(tp);
                    if (c != null) {
                        c.latest().put(r.key(), r.value());
                    } else {
                        apply(tp, r.key(), r.value());
                    }
                }
                finishCatchingUp();
            }
        } catch (WakeupException e) {
            // close() woke the poll: leave the loop
        } catch (RuntimeException e) {
            log.error("the camera group's consumer failed; this worker runs no cameras until restarted", e);
        } finally {
            stopAll(new ArrayList<>(running.keySet()));
            try {
                consumer.close(); // leaves the group at once, so the others take the cameras without waiting
            } catch (RuntimeException e) {
                log.warn("closing the camera group's consumer", e);
            }
            stopped.countDown();
        }
    }

    private void finishCatchingUp() {
        if (catchingUp.isEmpty()) {
            return;
        }
        for (var it = catchingUp.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (consumer.position(e.getKey()) >= e.getValue().end()) {
                it.remove();
                e.getValue().latest().forEach((id, json) -> apply(e.getKey(), id, json));
            }
        }
    }

    /** One camera record: start, restart with its edit, or stop on a tombstone. */
    private void apply(TopicPartition tp, String id, String json) {
        Map<String, CameraConfig> mine = running.computeIfAbsent(tp, k -> new ConcurrentHashMap<>());
        CameraConfig old = mine.get(id);
        if (json == null) {
            if (old != null) {
                mine.remove(id);
                stopCamera(id);
                log.atInfo().addKeyValue("camera", id).log("camera removed from the registry; stopped");
            }
            return;
        }
        CameraConfig camera;
        try {
            camera = CameraRecords.fromJson(json, cluster.camerasTopic() + "[" + id + "]");
        } catch (ConfigException e) {
            // A bad record must not stop a worker: say what is wrong and keep the camera as it was.
            log.atError().addKeyValue("camera", id).log("bad camera record ignored: {}", Urls.mask(e.getMessage()));
            return;
        }
        if (camera.equals(old)) {
            return;
        }
        try {
            cameras.run(camera);
            mine.put(id, camera);
        } catch (RuntimeException e) {
            log.atError().addKeyValue("camera", id).setCause(e).log("camera did not start");
        }
    }

    private void stopCamera(String id) {
        try {
            cameras.stop(id);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("camera", id).setCause(e).log("stopping the camera failed");
        }
    }

    private void stopAll(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            catchingUp.remove(tp);
            Map<String, CameraConfig> mine = running.remove(tp);
            if (mine != null) {
                mine.keySet().forEach(this::stopCamera);
            }
        }
    }

    /** Called inside poll(), on the group's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                running.computeIfAbsent(tp, k -> new ConcurrentHashMap<>());
                catchingUp.put(tp, new CatchUp(ends.getOrDefault(tp, 0L), new HashMap<>()));
            }
            log.atInfo().addKeyValue("worker", worker.id()).log("assigned camera partitions {}", numbers(partitions));
        }

        /** Given up in a rebalance: stop first, so the next owner never runs a camera while this one still does. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            stopAll(partitions);
            log.atInfo().addKeyValue("worker", worker.id()).log("gave up camera partitions {}", numbers(partitions));
        }

        /** Taken away without a rebalance (the group dropped this member): they may already run elsewhere. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            stopAll(partitions);
            log.atWarn().addKeyValue("worker", worker.id()).log("lost camera partitions {} (the group dropped this "
                    + "worker); rejoining", numbers(partitions));
        }
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    /** Stops every camera of this worker and leaves the group, so the others take them over at once. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

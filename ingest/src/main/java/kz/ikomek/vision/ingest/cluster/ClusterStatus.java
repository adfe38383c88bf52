package kz.ikomek.vision.ingest.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.ClusterConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Which worker runs which camera, as the brokers see it: the members of the camera group with their assigned
 * partitions (Kafka's Admin API), and the cameras of each partition (the camera topic, plus the config's cameras
 * not yet published). What {@code ikomek-vision cluster status} prints.
 */
public final class ClusterStatus {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One member of the group and the cameras of its partitions, sorted. */
    public record Worker(String id, String host, List<String> cameras) {}

    /** Every member, and the cameras that no member runs (their partition is unassigned, e.g. during a rebalance). */
    public record Snapshot(List<Worker> workers, List<String> unassigned) {
        /** Camera id → worker id, for every camera that has one. */
        public Map<String, String> workerOf() {
            Map<String, String> m = new HashMap<>();
            workers.forEach(w -> w.cameras().forEach(c -> m.put(c, w.id())));
            return m;
        }
    }

    private ClusterStatus() {
    }

    /**
     * @param configured the config's cameras (those not in the topic yet count as unassigned)
     * @throws ClusterException the brokers cannot be reached
     */
    public static Snapshot read(ClusterConfig cluster, Collection<CameraConfig> configured) {
        String clientId = "ikomek-status-" + ProcessHandle.current().pid();
        Map<String, Object> p = KafkaClients.base(cluster, clientId);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        Admin admin = Admin.create(p);
        try {
            Set<String> topics = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int partitions = topics.contains(cluster.camerasTopic())
                    ? admin.describeTopics(List.of(cluster.camerasTopic())).allTopicNames()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(cluster.camerasTopic()).partitions().size()
                    : cluster.partitions();
            ConsumerGroupDescription group;
            try {
                group = admin.describeConsumerGroups(List.of(cluster.group())).all()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(cluster.group());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                group = null; // no worker has joined yet
            }
            Set<String> cameras = new TreeSet<>();
            if (topics.contains(cluster.camerasTopic())) {
                cameras.addAll(CameraTopic.read(cluster, clientId).keySet());
            }
            configured.forEach(c -> cameras.add(c.id()));
            return snapshot(cluster, partitions, group == null ? List.of() : group.members(), cameras);
        } catch (ExecutionException | TimeoutException e) {
            throw ClusterException.unreachable(cluster, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while reaching " + cluster.kafka());
        } finally {
            // Bounded: close() without a timeout waits for calls still pending on a broker that went away.
            admin.close(TIMEOUT);
        }
    }

    /** Members' partitions mapped to the cameras they hold, as the producer's partitioner placed them. */
    static Snapshot snapshot(ClusterConfig cluster, int partitions, Collection<MemberDescription> members,
                             Set<String> cameras) {
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (String id : cameras) {
            byPartition.computeIfAbsent(CameraTopic.partitionOf(id, partitions), k -> new ArrayList<>()).add(id);
        }
        Map<String, Worker> workers = new TreeMap<>();
        Set<String> assigned = new TreeSet<>();
        for (MemberDescription m : members) {
            WorkerId w = WorkerId.parse(m.clientId());
            Set<String> mine = new TreeSet<>();
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (tp.topic().equals(cluster.camerasTopic())) {
                    mine.addAll(byPartition.getOrDefault(tp.partition(), List.of()));
                }
            }
            assigned.addAll(mine);
            workers.put(w.id(), new Worker(w.id(), w.host(), List.copyOf(mine)));
        }
        List<String> unassigned = cameras.stream().filter(c -> !assigned.contains(c)).toList();
        return new Snapshot(List.copyOf(workers.values()), unassigned);
    }
}

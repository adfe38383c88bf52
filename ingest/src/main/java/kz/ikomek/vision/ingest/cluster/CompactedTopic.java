package kz.ikomek.vision.ingest.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kz.ikomek.vision.config.ClusterConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** A compacted topic keyed by camera id, created by whichever worker comes first. */
final class CompactedTopic {

    private CompactedTopic() {
    }

    /**
     * Creates the topic (compacted, {@code partitions}, the brokers' default replication) unless it exists, and
     * waits until the brokers' metadata shows it.
     *
     * @return the topic as it is, which may have another partition count when it existed before
     * @throws ClusterException the brokers cannot be reached
     */
    static TopicDescription ensure(ClusterConfig cluster, String clientId, String topic, int partitions) {
        Map<String, Object> p = KafkaClients.base(cluster, clientId);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CameraTopic.REACH_TIMEOUT.toMillis());
        Admin admin = Admin.create(p);
        try {
            return ensure(admin, cluster, topic, partitions);
        } finally {
            // Bounded: close() without a timeout waits for calls still pending on a broker that went away.
            admin.close(CameraTopic.REACH_TIMEOUT);
        }
    }

    private static TopicDescription ensure(Admin admin, ClusterConfig cluster, String topic, int partitions) {
        try {
            Optional<TopicDescription> existing = describe(admin, topic);
            if (existing.isEmpty()) {
                NewTopic t = new NewTopic(topic, Optional.of(partitions), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                try {
                    admin.createTopics(List.of(t)).all().get(CameraTopic.REACH_TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // Another worker created it first: fine, it is the same topic.
                }
                // A topic just created (here or by another worker starting at the same time) takes a moment to
                // show in the brokers' metadata.
                long deadline = System.nanoTime() + CameraTopic.REACH_TIMEOUT.toNanos();
                while ((existing = describe(admin, topic)).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new ClusterException("topic " + topic + " was created on " + cluster.kafka()
                                + " but does not show after " + CameraTopic.REACH_TIMEOUT.toSeconds() + " s");
                    }
                    Thread.sleep(200);
                }
            }
            return existing.get();
        } catch (ExecutionException | TimeoutException e) {
            throw ClusterException.unreachable(cluster, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while reaching " + cluster.kafka());
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        long timeout = CameraTopic.REACH_TIMEOUT.toMillis();
        if (!admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).contains(topic)) {
            return Optional.empty();
        }
        return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(timeout, TimeUnit.MILLISECONDS)
                .get(topic));
    }
}

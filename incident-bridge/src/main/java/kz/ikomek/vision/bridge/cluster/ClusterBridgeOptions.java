package kz.ikomek.vision.bridge.cluster;

import java.util.Map;
import java.util.Objects;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.partition.DedupGroups;

/**
 * What a worker's cluster bridge needs.
 *
 * @param bootstrap         {@code cluster.kafka}: HOST:PORT[,HOST:PORT…]
 * @param clientProperties  passed to every Kafka client as they are (TLS / SASL of a city's cluster)
 * @param group             {@code cluster.group}; the Streams application id is {@code <group>-incidents}
 * @param partitions        partitions of the candidates, actions and incidents topics when this creates them
 * @param replication       replication factor of the topics it creates (1 on a one-broker trial)
 * @param bridge            dedup and lifecycle settings, and {@code dir}: Streams state in {@code dir/streams},
 *                          the read model in {@code dir/read}
 * @param groups            the place partition key of each camera, from the registry
 * @param workerId          unique per process (host + pid): the Streams client id
 */
public record ClusterBridgeOptions(String bootstrap, Map<String, String> clientProperties, String group,
                                   int partitions, short replication, BridgeOptions bridge, DedupGroups groups,
                                   String workerId) {

    public ClusterBridgeOptions {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("cluster.kafka: needs HOST:PORT[,HOST:PORT…]");
        }
        clientProperties = Map.copyOf(Objects.requireNonNullElse(clientProperties, Map.of()));
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("cluster.group: must not be empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("cluster.partitions: must be >= 1, got " + partitions);
        }
        if (replication < 1) {
            throw new IllegalArgumentException("replication: must be >= 1, got " + replication);
        }
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(workerId, "workerId");
    }

    public String applicationId() {
        return group + "-incidents";
    }
}

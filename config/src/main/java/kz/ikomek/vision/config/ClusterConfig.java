package kz.ikomek.vision.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cluster mode: cameras are records of the compacted {@code camerasTopic} (key = camera id) with {@code partitions}
 * partitions; the workers share them as one consumer {@code group} and publish observations on
 * {@code observationsTopic}.
 *
 * @param kafka      bootstrap servers, {@code host:port[,host:port...]}
 * @param properties Kafka client settings passed through to every producer, consumer and admin client (TLS,
 *                   SASL); values are {@link Secret}s because a JAAS line or a key-store password is one
 */
public record ClusterConfig(String kafka, String camerasTopic, String observationsTopic, String group,
                            int partitions, Map<String, Secret> properties) {

    public ClusterConfig {
        properties = Map.copyOf(properties);
    }

    /** {@link #properties()} with the values revealed, for handing to a Kafka client and nowhere else. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> revealed = new LinkedHashMap<>();
        properties.forEach((k, v) -> revealed.put(k, v.reveal()));
        return revealed;
    }
}

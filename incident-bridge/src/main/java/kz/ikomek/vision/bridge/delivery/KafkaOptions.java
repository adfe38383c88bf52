package kz.ikomek.vision.bridge.delivery;

import java.util.Map;
import java.util.Objects;

/**
 * Where incident changes go as CloudEvents.
 *
 * @param bootstrap  e.g. "127.0.0.1:9092"
 * @param topic      normally {@link #DEFAULT_TOPIC}
 * @param source     the CloudEvents {@code source} attribute, e.g. "/ikomek-vision/bridge"
 * @param overrides  extra producer properties (security settings, timeouts); they win over ours
 */
public record KafkaOptions(String bootstrap, String topic, String source, Map<String, String> overrides) {

    public static final String DEFAULT_TOPIC = "ikomek.incidents.v1";
    public static final String DEFAULT_SOURCE = "/ikomek-vision/incident-bridge";

    public KafkaOptions {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap: needs host:port, got '" + bootstrap + "'");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka.topic: must not be empty");
        }
        Objects.requireNonNull(source, "source");
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    public static KafkaOptions of(String bootstrap) {
        return new KafkaOptions(bootstrap, DEFAULT_TOPIC, DEFAULT_SOURCE, Map.of());
    }
}

package kz.ikomek.vision.config;

/**
 * Cluster mode: cameras are records of the compacted {@code camerasTopic}; workers share them as one
 * consumer {@code group} and publish observations on {@code observationsTopic}.
 */
public record ClusterConfig(String kafka, String camerasTopic, String observationsTopic, String group) {
}

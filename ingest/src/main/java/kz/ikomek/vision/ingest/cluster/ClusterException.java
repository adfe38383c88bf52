package kz.ikomek.vision.ingest.cluster;

import kz.ikomek.vision.config.ClusterConfig;

/** Cluster mode cannot go on: the brokers cannot be reached, or what they hold disagrees with the config. */
public final class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    private ClusterException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "cannot reach the Kafka cluster at HOST:PORT (cluster.kafka): why", naming the address the user wrote. */
    static ClusterException unreachable(ClusterConfig cluster, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        boolean timeout = cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException;
        String why = timeout ? "no broker answered in time"
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ClusterException("cannot reach the Kafka cluster at " + cluster.kafka() + " (cluster.kafka): "
                + why + "; is the broker running and the address right?", cause);
    }
}

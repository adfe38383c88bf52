package kz.ikomek.vision.ingest.cluster;

import java.util.HashMap;
import java.util.Map;
import kz.ikomek.vision.config.ClusterConfig;
import org.apache.kafka.clients.CommonClientConfigs;

/** The settings every Kafka client of a worker starts from: the brokers and the city's TLS/SASL pass-through. */
final class KafkaClients {

    private KafkaClients() {
    }

    static Map<String, Object> base(ClusterConfig cluster, String clientId) {
        Map<String, Object> p = new HashMap<>(cluster.clientProperties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return p;
    }
}

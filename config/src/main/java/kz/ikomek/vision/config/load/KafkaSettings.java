package kz.ikomek.vision.config.load;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Which names {@code cluster.properties} may use: Kafka's own client settings, less those the worker owns. */
final class KafkaSettings {

    /** Every producer, consumer and admin client setting of the Kafka client on the classpath. */
    static final Set<String> CLIENT = clientNames();

    /** Settings a worker decides itself (cluster mode breaks without its choice), with where to say it instead. */
    static final Map<String, String> OWN = Map.of(
            "bootstrap.servers", "write the brokers as cluster.kafka",
            "group.id", "name the group as cluster.group",
            "key.serializer", "records are JSON text",
            "value.serializer", "records are JSON text",
            "key.deserializer", "records are JSON text",
            "value.deserializer", "records are JSON text",
            "enable.auto.commit", "camera assignment reads its topic from the start",
            "auto.offset.reset", "camera assignment reads its topic from the start",
            "partition.assignment.strategy", "workers share cameras with the cooperative-sticky assignor",
            "group.instance.id", "each worker process is its own member (host + pid)");

    private KafkaSettings() {
    }

    private static Set<String> clientNames() {
        Set<String> names = new TreeSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }
}

package kz.ikomek.vision.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning with a real consumer, accumulating what it has seen. */
public final class TopicReader implements AutoCloseable {

    public record Event(String key, JsonNode value) {
    }

    // Plain Jackson, not our Codec: nothing from the module jar is loaded late (see CrashIT).
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final KafkaConsumer<String, String> consumer;
    private final List<Event> events = new ArrayList<>();

    public TopicReader(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Cluster mode writes the topic in transactions: count only what committed.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls once (up to the given time) and returns everything seen so far. */
    public List<Event> poll(Duration wait) throws Exception {
        for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
            events.add(new Event(r.key(), JSON.readTree(r.value())));
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }
}

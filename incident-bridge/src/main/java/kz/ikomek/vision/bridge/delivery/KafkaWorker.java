package kz.ikomek.vision.bridge.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.OutboxEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes incident changes on {@code ikomek.incidents.v1}: CloudEvents JSON, key = incident id (so one
 * incident's changes stay in one partition, in order), idempotent producer with acks=all. Redelivery after a
 * crash is possible (at least once); consumers dedup by the event id {@code incidentId/version}.
 */
public final class KafkaWorker extends OutboxWorker {

    private final KafkaOptions options;
    private Producer<String, String> producer;

    public KafkaWorker(KafkaOptions options, BridgeStore store, DeliverySink sink, RetryPolicy retry, Clock clock) {
        super("kafka", OutboxEntry.KAFKA, store, sink, retry, clock, 500);
        this.options = options;
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "ikomek-incident-bridge");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            // A dead broker must fail a send within seconds (the outbox keeps the event and we back off),
            // not hold this thread for the default minute.
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
            p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
            p.putAll(options.overrides());
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @Override
    protected void deliver(List<OutboxEntry> due) throws Exception {
        Producer<String, String> out = producer();
        List<OutboxEntry> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (OutboxEntry e : due) {
            ProducerRecord<String, String> rec = new ProducerRecord<>(options.topic(), e.incidentId(), e.payload());
            rec.headers().add(new RecordHeader("content-type",
                    CloudEvents.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
            String refused = null;
            try {
                Future<RecordMetadata> ack = out.send(rec);
                // With no broker, send() waits max.block.ms for metadata and hands back an already failed
                // future (it no longer throws): every later send would wait the same, so stop at the first.
                if (ack.isDone()) {
                    try {
                        ack.get();
                    } catch (ExecutionException ex) {
                        refused = ex.getCause().getMessage();
                    }
                }
                if (refused == null) {
                    acks.add(ack);
                    sent.add(e);
                }
            } catch (RuntimeException ex) {
                refused = ex.getMessage();
            }
            if (refused != null) {
                for (OutboxEntry rest : due.subList(due.indexOf(e), due.size())) {
                    failed(rest, "send refused: " + refused, false);
                }
                break;
            }
        }
        List<OutboxEntry> ok = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            try {
                acks.get(i).get(30, TimeUnit.SECONDS);
                succeeded(sent.get(i));
                ok.add(sent.get(i));
            } catch (ExecutionException ex) {
                failed(sent.get(i), "not acknowledged: " + ex.getCause().getMessage(), false);
            } catch (TimeoutException ex) {
                failed(sent.get(i), "not acknowledged within 30 s", false);
            }
        }
        if (!ok.isEmpty()) {
            sink.published(ok);
        }
    }

    @Override
    public void close() {
        super.close();
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}

package kz.ikomek.vision.bridge.cluster;

import static kz.ikomek.vision.bridge.Candidates.KABANBAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import kz.ikomek.vision.bridge.Awaits;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.Candidates;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.casesystem.LocalCaseSystem;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.kafka.LocalKafkaBroker;
import kz.ikomek.vision.bridge.owner.IncidentDecider;
import kz.ikomek.vision.bridge.owner.IncidentLookup;
import kz.ikomek.vision.bridge.partition.DedupGroups;
import kz.ikomek.vision.bridge.read.IncidentReadModel;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.config.IncidentType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's Open311 delivery reads the incident-state topic with a consumer of its own, apart from the worker's
 * read model. Here the read model never catches up (it is never fed): the incident is filed all the same, from
 * the record that made it due, and its answer goes to the owner. It was discarded as "no longer stored" before,
 * which lost a filing when a busy worker's read model lagged (seen once in ClusterIT: a snow incident never filed).
 */
@Tag("integration")
class ClusterDeliveryIT {

    static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void an_incident_is_filed_even_before_this_workers_read_model_shows_it() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(tmp.resolve("kafka"), 0);
             LocalCaseSystem cases = new LocalCaseSystem(0, "test-key");
             BridgeStore readStore = BridgeStore.open(tmp.resolve("read"));
             IncidentReadModel lagging = new IncidentReadModel(readStore, raw -> Codec.read(raw, Incident.class))) {
            Properties common = new Properties();
            common.put("bootstrap.servers", broker.bootstrap());
            try (Admin admin = Admin.create(common)) {
                admin.createTopics(List.of(new NewTopic(ClusterTopics.INCIDENT_STATE, 3, (short) 1))).all().get();
            }
            BridgeOptions bridge = BridgeOptions.defaults(tmp.resolve("worker"))
                    .withOpen311(Open311Options.of(cases.endpoint(), "test-key").withSubmitAt(IncidentState.DETECTED));
            ClusterBridgeOptions options = new ClusterBridgeOptions(broker.bootstrap(), Map.of(), "it", 3, (short) 1,
                    bridge, DedupGroups.of(Map.of("cam-1", KABANBAY), 30), "worker-x");
            List<PartitionCommand> toOwner = new CopyOnWriteArrayList<>();
            Incident detected = detected(bridge);

            try (ClusterDelivery delivery = new ClusterDelivery(options, common, lagging, (incident, command) -> {
                toOwner.add(command);
                return CompletableFuture.completedFuture(null);
            })) {
                delivery.start();
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(common, new StringSerializer(),
                        new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(ClusterTopics.INCIDENT_STATE, detected.id(),
                            Codec.write(detected))).get();
                }
                Awaits.until(Duration.ofSeconds(30), () -> cases.filed().containsKey(detected.id()),
                        () -> "the case system filed " + detected.id() + "; it has " + cases.filed());
                Awaits.until(Duration.ofSeconds(10), () -> toOwner.stream().anyMatch(
                        c -> c.kind() == PartitionCommand.Kind.FILED && detected.id().equals(c.incidentId())),
                        () -> "the answer sent to the owner: " + toOwner);
            }
            assertThat(lagging.get(detected.id())).as("the read model was never fed").isEmpty();
            assertThat(cases.posts()).isEqualTo(1);
        }
    }

    /** A new incident as its owner decides it: DETECTED, not yet filed. */
    static Incident detected(BridgeOptions options) {
        IncidentLookup none = new IncidentLookup() {
            @Override
            public StoredIncident get(String id) {
                return null;
            }

            @Override
            public void forEachOpen(Consumer<StoredIncident> visitor) {
            }
        };
        Incident i = new IncidentDecider(options).candidate(
                Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0), T0, none)
                .changes().get(0).next().incident();
        assertThat(i.state()).isEqualTo(IncidentState.DETECTED);
        return i;
    }
}

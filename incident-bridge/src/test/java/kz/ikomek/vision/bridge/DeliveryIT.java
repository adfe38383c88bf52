package kz.ikomek.vision.bridge;

import kz.ikomek.vision.bridge.casesystem.LocalCaseSystem;
import static kz.ikomek.vision.bridge.Candidates.KABANBAY;
import static kz.ikomek.vision.bridge.Candidates.north;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kz.ikomek.vision.bridge.TopicReader.Event;
import kz.ikomek.vision.bridge.delivery.KafkaOptions;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.delivery.RetryPolicy;
import kz.ikomek.vision.bridge.kafka.LocalKafkaBroker;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge against a real single-node Kafka and a real HTTP case system. */
@Tag("integration")
class DeliveryIT {

    static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");
    static final String TOPIC = KafkaOptions.DEFAULT_TOPIC;

    @TempDir
    static Path kafkaDir;
    static LocalKafkaBroker broker;

    @TempDir
    Path dir;
    LocalCaseSystem cases;
    IncidentBridge bridge;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(kafkaDir, 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void startCaseSystem() throws Exception {
        cases = new LocalCaseSystem(0, "test-key");
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        cases.close();
        if (!broker.running()) {
            broker.restart();
        }
    }

    BridgeOptions options(IncidentState submitAt, RetryPolicy retry) {
        Open311Options open311 = Open311Options.of(cases.endpoint(), "test-key").withSubmitAt(submitAt)
                .withTimeout(Duration.ofSeconds(1)).withMediaBaseUrl("http://console.local/api/incidents");
        return BridgeOptions.defaults(dir).withKafka(KafkaOptions.of(broker.bootstrap())).withOpen311(open311)
                .withRetry(retry);
    }

    static List<Event> eventsOf(TopicReader topic, String id, int atLeast) throws Exception {
        List<Event> mine = new ArrayList<>();
        Awaits.until(Duration.ofSeconds(60), () -> {
            try {
                mine.clear();
                topic.poll(Duration.ofMillis(200)).stream().filter(e -> e.key().equals(id)).forEach(mine::add);
                return mine.size() >= atLeast;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> "events of " + id + ": " + mine.size());
        return mine;
    }

    @Test
    void a_confirmed_incident_goes_out_as_cloudevents_and_one_case_request_and_gets_dispatched() throws Exception {
        bridge = IncidentBridge.open(options(IncidentState.CONFIRMED, RetryPolicy.defaults()));
        String id = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident().id();
        bridge.record(Candidates.of(IncidentType.SNOW, "cam-2", "road", north(KABANBAY, 15), T0));

        try (TopicReader topic = new TopicReader(broker.bootstrap(), TOPIC)) {
            List<Event> first = eventsOf(topic, id, 2);
            Event detected = first.get(0);
            assertThat(detected.value().get("specversion").asText()).isEqualTo("1.0");
            assertThat(detected.value().get("type").asText()).isEqualTo("kz.ikomek.vision.incident.detected");
            assertThat(detected.value().get("subject").asText()).isEqualTo(id);
            assertThat(detected.value().get("id").asText()).isEqualTo(id + "/1");
            assertThat(detected.value().get("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(detected.value().get("source").asText()).isEqualTo(KafkaOptions.DEFAULT_SOURCE);
            assertThat(detected.value().get("time").asText()).isNotBlank();
            assertThat(detected.value().get("data").get("type").asText()).isEqualTo("snow");
            assertThat(first.get(1).value().get("type").asText()).isEqualTo("kz.ikomek.vision.incident.pending_review");
            Awaits.until(Duration.ofSeconds(10),
                    () -> bridge.get(id).orElseThrow().state() == IncidentState.PENDING_REVIEW);
            assertThat(cases.posts()).isZero();

            bridge.act(id, IncidentAction.CONFIRM, "operator", "snow on the crossing");
            Awaits.until(Duration.ofSeconds(30), () -> bridge.get(id).orElseThrow().serviceRequestId() != null);
            Incident filed = bridge.get(id).orElseThrow();
            assertThat(filed.serviceRequestId()).isEqualTo(cases.filed().get(id));
            assertThat(filed.state()).isEqualTo(IncidentState.DISPATCHED);
            assertThat(filed.history()).last().extracting(Transition::actor).isEqualTo(IncidentBridge.SYSTEM);
            assertThat(cases.form(id)).containsEntry("service_code", "snow-removal")
                    .containsEntry("attribute[incident_id]", id).containsEntry("lat", "51.1282")
                    .containsEntry("address_string", "Kabanbay Batyr Ave 1")
                    .containsKeys("long", "description", "media_url");
            assertThat(cases.form(id).get("description")).contains("cam-1", "cam-2");

            List<Event> all = eventsOf(topic, id, 4);
            assertThat(all).extracting(e -> e.value().get("type").asText()).containsSubsequence(
                    "kz.ikomek.vision.incident.detected", "kz.ikomek.vision.incident.pending_review",
                    "kz.ikomek.vision.incident.confirmed", "kz.ikomek.vision.incident.dispatched");
        }
        assertThat(cases.posts()).isEqualTo(1);
        Awaits.until(Duration.ofSeconds(10), () -> bridge.queued().values().stream().allMatch(n -> n == 0));
    }

    @Test
    void during_outages_incidents_queue_detection_is_not_slowed_and_everything_goes_out_when_back() throws Exception {
        RetryPolicy fast = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 1000);
        bridge = IncidentBridge.open(options(IncidentState.DETECTED, fast));
        broker.stop();
        cases.mode(LocalCaseSystem.Mode.ERROR_500);

        List<Long> latencies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            long start = System.nanoTime();
            ids.add(bridge.record(Candidates.of(IncidentType.FLOOD, "cam-" + i, "road", north(KABANBAY, 100.0 * i),
                    T0)).incident().id());
            latencies.add(System.nanoTime() - start);
        }
        assertThat(ids).hasSize(100);
        latencies.sort(Long::compare);
        long p99Millis = latencies.get(98) / 1_000_000;
        // record() only waits for its own synced write, never for Kafka (5 s send timeout) or the case system.
        assertThat(p99Millis).as("p99 record() latency in ms while both receivers are down").isLessThan(1000);

        Awaits.until(Duration.ofSeconds(30), () -> cases.posts() >= 20, () -> "500s answered: " + cases.posts());
        cases.mode(LocalCaseSystem.Mode.HANG);
        int before = cases.posts();
        Awaits.until(Duration.ofSeconds(30), () -> cases.posts() >= before + 16, () -> "hung: " + cases.posts());
        // Each Kafka attempt waits up to 5 s for a broker: three failed attempts = an outage of 15 s or more.
        Awaits.until(Duration.ofSeconds(60), () -> bridge.deliveryFailures().get("kafka") >= 3,
                () -> "kafka failures: " + bridge.deliveryFailures());
        assertThat(bridge.queued().get("kafka")).isGreaterThanOrEqualTo(100);
        assertThat(bridge.queued().get("open311")).isEqualTo(100);

        broker.restart();
        cases.mode(LocalCaseSystem.Mode.OK);
        Awaits.until(Duration.ofSeconds(90), () -> bridge.queued().values().stream().allMatch(n -> n == 0),
                () -> "still queued: " + bridge.queued());
        assertThat(cases.filed().keySet()).containsExactlyInAnyOrderElementsOf(ids);
        try (TopicReader topic = new TopicReader(broker.bootstrap(), TOPIC)) {
            Set<String> seen = new HashSet<>();
            Awaits.until(Duration.ofSeconds(30), () -> {
                try {
                    topic.poll(Duration.ofMillis(200)).forEach(e -> {
                        if (ids.contains(e.key())) {
                            seen.add(e.key());
                        }
                    });
                    return seen.size() == ids.size();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, () -> "on the topic: " + seen.size());
        }
        for (String id : ids) {
            Incident i = bridge.get(id).orElseThrow();
            assertThat(i.serviceRequestId()).isEqualTo(cases.filed().get(id));
            assertThat(i.deliveryFailed()).isFalse();
        }
    }

    @Test
    void a_case_system_answering_garbage_is_retried_then_dead_lettered_and_can_be_retried_by_hand() throws Exception {
        RetryPolicy three = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 3);
        bridge = IncidentBridge.open(options(IncidentState.DETECTED, three));
        cases.mode(LocalCaseSystem.Mode.GARBAGE);

        String id = bridge.record(Candidates.of(IncidentType.OPEN_MANHOLE, "cam-1", "walk", KABANBAY, T0))
                .incident().id();
        Awaits.until(Duration.ofSeconds(30), () -> bridge.get(id).orElseThrow().deliveryFailed());
        assertThat(cases.posts()).isEqualTo(3);
        assertThat(bridge.get(id).orElseThrow().serviceRequestId()).isNull();
        assertThat(bridge.queued().get("open311")).isEqualTo(1);

        cases.mode(LocalCaseSystem.Mode.OK);
        assertThat(bridge.retryDelivery(id).deliveryFailed()).isFalse();
        Awaits.until(Duration.ofSeconds(30), () -> bridge.get(id).orElseThrow().serviceRequestId() != null);
        assertThat(bridge.get(id).orElseThrow().deliveryFailed()).isFalse();
        assertThat(cases.filed()).containsKey(id);
    }

    @Test
    void the_outbox_is_sent_again_after_a_restart() throws Exception {
        broker.stop();
        cases.mode(LocalCaseSystem.Mode.ERROR_500);
        bridge = IncidentBridge.open(options(IncidentState.DETECTED, RetryPolicy.defaults()));
        String id = bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0)).incident().id();
        bridge.close();
        bridge = null;

        broker.restart();
        cases.mode(LocalCaseSystem.Mode.OK);
        bridge = IncidentBridge.open(options(IncidentState.DETECTED, RetryPolicy.defaults()));
        Awaits.until(Duration.ofSeconds(60), () -> bridge.get(id).orElseThrow().serviceRequestId() != null
                && bridge.get(id).orElseThrow().state() == IncidentState.PENDING_REVIEW);
        assertThat(cases.filed()).containsOnlyKeys(id);
    }
}

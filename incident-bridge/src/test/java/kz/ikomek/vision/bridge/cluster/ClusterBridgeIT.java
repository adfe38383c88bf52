package kz.ikomek.vision.bridge.cluster;

import static kz.ikomek.vision.bridge.Candidates.KABANBAY;
import static kz.ikomek.vision.bridge.Candidates.north;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kz.ikomek.vision.bridge.Awaits;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.Candidates;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.TopicReader;
import kz.ikomek.vision.bridge.casesystem.LocalCaseSystem;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.kafka.LocalKafkaBroker;
import kz.ikomek.vision.bridge.partition.DedupGroups;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers' cluster bridges in one JVM on a real broker: candidates from both reach the owner of their
 * place partition; an action on worker A shows on worker B; A leaves and its partitions move to B, which
 * carries on from the changelog-restored state (later candidates merge, none opens a second incident); A
 * comes back and takes its share. At the end the incidents topic holds exactly one incident per place, and the
 * case system (Open311, filed at DETECTED by whichever worker reads the incident's state) has each once.
 */
@Tag("integration")
class ClusterBridgeIT {

    static final int PLACES = 12;
    static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");
    static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    static String camera(int place, String which) {
        return "cam-" + place + "-" + which;
    }

    static GeoPoint place(int p) {
        return north(KABANBAY, 500.0 * p);
    }

    static Candidate seen(int p, String which) {
        return Candidates.of(IncidentType.SNOW, camera(p, which), "road", place(p), T0);
    }

    LocalCaseSystem cases;

    ClusterBridge worker(String bootstrap, DedupGroups groups, String id) {
        BridgeOptions bridge = BridgeOptions.defaults(tmp.resolve(id))
                .withOpen311(Open311Options.of(cases.endpoint(), "test-key").withSubmitAt(IncidentState.DETECTED));
        return ClusterBridge.start(new ClusterBridgeOptions(bootstrap, Map.of(), "it", 3, (short) 1, bridge, groups,
                id));
    }

    static void submitAll(List<CompletableFuture<Void>> acks) {
        acks.forEach(CompletableFuture::join);
    }

    static boolean everyIncidentHas(ClusterBridge w, int cameras) {
        List<Incident> all = w.list(null, null);
        return all.size() == PLACES && all.stream().allMatch(i -> i.cameras().size() == cameras);
    }

    @Test
    void a_partition_moves_between_workers_without_losing_or_duplicating_an_incident() throws Exception {
        Map<String, GeoPoint> registry = new LinkedHashMap<>();
        for (int p = 0; p < PLACES; p++) {
            for (String which : List.of("a", "b", "c")) {
                registry.put(camera(p, which), place(p));
            }
        }
        DedupGroups groups = DedupGroups.of(registry, 30);
        cases = new LocalCaseSystem(0, "test-key");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(tmp.resolve("kafka"), 0); LocalCaseSystem c = cases) {
            String bootstrap = broker.bootstrap();
            ClusterBridge a = worker(bootstrap, groups, "worker-a");
            ClusterBridge b = worker(bootstrap, groups, "worker-b");
            try {
                Awaits.until(SETTLE, () -> a.running() && b.running(), () -> "both workers running");

                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (int p = 0; p < PLACES; p++) {
                    acks.add((p % 2 == 0 ? a : b).submit(seen(p, "a")));
                }
                submitAll(acks);
                Awaits.until(SETTLE, () -> everyIncidentHas(a, 1) && everyIncidentHas(b, 1),
                        () -> "12 incidents on both workers; a " + a.list(null, null).size() + ", b "
                                + b.list(null, null).size());
                assertThat(a.list(null, null)).allMatch(i -> i.state() == IncidentState.PENDING_REVIEW);

                // An action on A is seen on B; evidence of an incident is readable on both.
                Incident first = a.list(null, null).get(0);
                Incident confirmed = a.act(first.id(), IncidentAction.CONFIRM, "operator", "seen it");
                assertThat(confirmed.state()).isEqualTo(IncidentState.CONFIRMED);
                // Usually well under a second. The case system's answer (filed at detection) may reach the owner
                // after the confirmation: it must leave it CONFIRMED (it once dispatched it, so B never showed it).
                Awaits.until(Duration.ofSeconds(15),
                        () -> b.get(first.id()).map(i -> i.state() == IncidentState.CONFIRMED).orElse(false),
                        () -> "worker b sees the confirmation");
                String sha = first.evidence().get(0).sha256();
                Awaits.until(Duration.ofSeconds(10), () -> a.evidence(sha).isPresent() && b.evidence(sha).isPresent(),
                        () -> "evidence on both workers");

                // A leaves: B owns every partition, restored from the changelog, so camera b's view merges.
                a.close();
                acks.clear();
                for (int p = 0; p < PLACES; p++) {
                    acks.add(b.submit(seen(p, "b")));
                }
                submitAll(acks);
                Awaits.until(SETTLE, () -> everyIncidentHas(b, 2),
                        () -> "worker b merged camera b into all 12: " + b.list(null, null));
            } finally {
                b.close();
            }
            // A comes back beside a fresh B: partitions move again; replays merge, camera c joins.
            ClusterBridge a2 = worker(bootstrap, groups, "worker-a");
            ClusterBridge b2 = worker(bootstrap, groups, "worker-b");
            try {
                Awaits.until(SETTLE, () -> a2.running() && b2.running(), () -> "both workers running again");
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (int p = 0; p < PLACES; p++) {
                    ClusterBridge via = p % 2 == 0 ? b2 : a2;
                    acks.add(via.submit(seen(p, "a")));
                    acks.add(via.submit(seen(p, "c")));
                }
                submitAll(acks);
                Awaits.until(SETTLE, () -> everyIncidentHas(a2, 3) && everyIncidentHas(b2, 3),
                        () -> "camera c merged on both workers: " + a2.list(null, null).size());
                // Filed with the case system once each, whichever worker's delivery took it, across the moves.
                Awaits.until(SETTLE, () -> b2.list(null, null).stream().allMatch(i -> i.serviceRequestId() != null),
                        () -> "every incident filed: " + cases.filed().size());
                assertThat(cases.filed()).hasSize(PLACES);
            } finally {
                a2.close();
                b2.close();
            }

            // The topic, read committed: one incident per place, each event once.
            Map<String, Set<String>> incidentsPerPlace = new HashMap<>();
            Set<String> eventIds = new HashSet<>();
            int events;
            try (TopicReader reader = new TopicReader(bootstrap, ClusterTopics.INCIDENTS)) {
                List<TopicReader.Event> seen = reader.poll(Duration.ofSeconds(2));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (seen.stream().map(e -> e.value().get("subject").asText()).distinct().count() < PLACES
                        && System.nanoTime() < deadline) {
                    seen = reader.poll(Duration.ofMillis(500));
                }
                seen = reader.poll(Duration.ofSeconds(1));
                events = seen.size();
                for (TopicReader.Event e : seen) {
                    eventIds.add(e.value().get("id").asText());
                    double lat = e.value().get("data").get("place").get("lat").asDouble();
                    incidentsPerPlace.computeIfAbsent(String.format("%.5f", lat), k -> new HashSet<>())
                            .add(e.key());
                }
            }
            assertThat(incidentsPerPlace).hasSize(PLACES);
            assertThat(incidentsPerPlace.values()).allMatch(ids -> ids.size() == 1);
            assertThat(eventIds).hasSize(events);
        }
    }
}

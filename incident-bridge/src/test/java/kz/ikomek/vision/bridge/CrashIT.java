package kz.ikomek.vision.bridge;

import kz.ikomek.vision.bridge.casesystem.LocalCaseSystem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kz.ikomek.vision.bridge.delivery.KafkaOptions;
import kz.ikomek.vision.bridge.kafka.LocalKafkaBroker;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running the bridge with SIGKILL at random moments, at least 20 times, while it records
 * 10,000 candidates and delivers to a real Kafka and a real HTTP case system. Afterwards every incident
 * exists once in RocksDB, once on the topic (after dedup by id), once in the case system; none is lost.
 */
@Tag("integration")
class CrashIT {

    static final int TOTAL = 10_000;
    static final int THREADS = 8;
    static final int MIN_KILLS = 22;

    @TempDir
    Path tmp;

    /** What one child run told us on stdout. */
    static final class Run {
        final AtomicInteger progress = new AtomicInteger();
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicBoolean streamed = new AtomicBoolean();
        final AtomicBoolean done = new AtomicBoolean();
    }

    static final String DUMPING = "dumping";
    static final ObjectMapper JSON = new ObjectMapper();

    /** An incident as the verify run wrote it. */
    record Stored(String id, String type, double lat, double lon, List<String> cameras, String serviceRequestId,
                  boolean deliveryFailed) {
    }

    final double[] placeLat = new double[CrashStream.PLACES];
    final double[] placeLon = new double[CrashStream.PLACES];
    String childClasspath;

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    Path nativeDir;

    /**
     * RocksDB's JNI library, extracted once: otherwise every child extracts 17 MB to /tmp at start, and a killed
     * child never deletes its copy.
     */
    Path extractRocksDbLibrary() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("native"));
        String name = "librocksdbjni-linux64.so";
        try (var in = org.rocksdb.RocksDB.class.getClassLoader().getResourceAsStream(name)) {
            if (in != null) {
                Files.copy(in, dir.resolve(name));
            }
        }
        return dir;
    }

    /**
     * The child's classpath with our own modules' jars and classes copied aside: the checkout is shared, and a
     * rebuild elsewhere rewriting a jar under a running child would break class loading, not the bridge.
     */
    String snapshotClasspath() throws Exception {
        Path copies = Files.createDirectories(tmp.resolve("classpath"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            boolean ours = entry.contains("/kz/ikomek/") || entry.contains("incident-bridge");
            if (!ours || !Files.exists(p)) {
                entries.add(entry);
                continue;
            }
            Path copy = copies.resolve((n++) + "-" + p.getFileName());
            if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    for (Path f : walk.toList()) {
                        Path target = copy.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target);
                        }
                    }
                }
            } else {
                Files.copy(p, copy);
            }
            entries.add(copy.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    Process start(Path dir, String bootstrap, LocalCaseSystem cases, Run run, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-Djava.library.path=" + nativeDir, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", childClasspath, CrashChild.class.getName(), dir.toString(), bootstrap,
                cases.endpoint().toString(), Integer.toString(TOTAL), Integer.toString(THREADS));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    if (!line.startsWith("CRASHCHILD ")) {
                        continue;
                    }
                    String msg = line.substring("CRASHCHILD ".length());
                    if (msg.equals("ready")) {
                        run.ready.set(true);
                    } else if (msg.startsWith("progress ")) {
                        run.progress.set(Integer.parseInt(msg.substring(9)));
                    } else if (msg.equals("streamed")) {
                        run.streamed.set(true);
                    } else if (msg.equals("done")) {
                        run.done.set(true);
                    }
                }
            } catch (Exception e) {
                // the child was killed: its pipe closes
            }
        }, "crash-child-reader");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    @Test
    void a_bridge_killed_twenty_times_loses_nothing_and_duplicates_nothing() throws Exception {
        long started = System.nanoTime();
        Path dir = tmp.resolve("bridge");
        // Outside the temp dir, so a failure can be read afterwards.
        Path log = Path.of("target", "crash-child.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Random random = new Random(20260110);
        childClasspath = snapshotClasspath();
        nativeDir = extractRocksDbLibrary();
        // Expected, computed before anything runs: one incident per place hit, one per dumping event.
        Map<Integer, Set<String>> expectedCameras = new HashMap<>();
        Map<Integer, String> typeOfPlace = new HashMap<>();
        int expectedDumping = 0;
        for (int i = 0; i < TOTAL; i++) {
            if (CrashStream.isDumping(i)) {
                expectedDumping++;
            } else {
                int key = CrashStream.key(i);
                expectedCameras.computeIfAbsent(key, k -> new TreeSet<>()).add(CrashStream.camera(i));
            }
        }
        for (int k = 0; k < CrashStream.PLACES; k++) {
            typeOfPlace.put(k, CrashStream.typeOf(k).wireName());
            placeLat[k] = CrashStream.placeOf(k).lat();
            placeLon[k] = CrashStream.placeOf(k).lon();
        }
        int expected = expectedCameras.size() + expectedDumping;
        int kills = 0;
        int killsWhileDraining = 0;
        int runs = 0;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(tmp.resolve("kafka"), 0);
             LocalCaseSystem cases = new LocalCaseSystem(0, "test-key")) {
            while (true) {
                Run run = new Run();
                Process child = start(dir, broker.bootstrap(), cases, run, log);
                runs++;
                if (kills < MIN_KILLS) {
                    // A third of the kills land early (during recovery and re-sending), the rest mid-stream.
                    int target = random.nextInt(3) == 0 ? random.nextInt(60) : 100 + random.nextInt(300);
                    Awaits.until(Duration.ofSeconds(90), () -> run.done.get() || !child.isAlive()
                            || run.ready.get() && (run.progress.get() >= target || run.streamed.get()),
                            () -> "child progress " + run.progress.get() + " of target " + target);
                    if (!run.done.get() && child.isAlive()) {
                        if (run.streamed.get()) {
                            killsWhileDraining++;
                        }
                        child.destroyForcibly().waitFor();
                        kills++;
                        continue;
                    }
                }
                Awaits.until(Duration.ofSeconds(150), () -> run.done.get() || !child.isAlive(),
                        () -> "final run: progress " + run.progress.get() + ", streamed " + run.streamed.get());
                assertThat(child.waitFor()).as("final child exit code (see %s)", log).isZero();
                assertThat(run.done.get()).isTrue();
                break;
            }
            long runMillis = (System.nanoTime() - started) / 1_000_000;

            // What the store holds, read by a child JVM from the snapshotted classpath.
            Path dump = tmp.resolve("store.json");
            Process verify = new ProcessBuilder(javaBin(), "-Djava.library.path=" + nativeDir, "-cp", childClasspath,
                    CrashChild.class.getName(), "verify", dir.toString(), dump.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            assertThat(verify.waitFor()).as("verify run (see %s)", log).isZero();
            JsonNode store = JSON.readTree(dump.toFile());
            List<Stored> incidents = new ArrayList<>();
            for (JsonNode n : store.get("incidents")) {
                List<String> cameras = new ArrayList<>();
                n.get("cameras").forEach(c -> cameras.add(c.asText()));
                incidents.add(new Stored(n.get("id").asText(), n.get("type").asText(), n.get("lat").asDouble(),
                        n.get("lon").asDouble(), cameras, n.get("serviceRequestId").isNull() ? null
                        : n.get("serviceRequestId").asText(), n.get("deliveryFailed").asBoolean()));
            }
            assertThat(store.get("outbox").asInt()).as("outbox entries left").isZero();
            Set<String> ids = new HashSet<>();
            incidents.forEach(i -> ids.add(i.id()));

            Map<Integer, List<Stored>> standingByPlace = new HashMap<>();
            int dumping = 0;
            for (Stored i : incidents) {
                if (i.type().equals(DUMPING)) {
                    dumping++;
                    continue;
                }
                int place = nearestPlace(i.lat(), i.lon());
                assertThat(typeOfPlace.get(place)).isEqualTo(i.type());
                standingByPlace.computeIfAbsent(place, k -> new ArrayList<>()).add(i);
            }
            int lost = 0;
            int duplicated = 0;
            for (Map.Entry<Integer, Set<String>> e : expectedCameras.entrySet()) {
                List<Stored> found = standingByPlace.getOrDefault(e.getKey(), List.of());
                if (found.isEmpty()) {
                    lost++;
                } else if (found.size() > 1) {
                    duplicated += found.size() - 1;
                } else {
                    assertThat(new TreeSet<>(found.get(0).cameras())).isEqualTo(e.getValue());
                }
            }
            lost += Math.max(0, expectedDumping - dumping);
            duplicated += Math.max(0, dumping - expectedDumping);

            // What the case system filed: one service request per incident, none for an unknown id.
            Map<String, String> filed = cases.filed();
            int missingInCaseSystem = 0;
            for (Stored i : incidents) {
                if (!filed.containsKey(i.id())) {
                    missingInCaseSystem++;
                } else {
                    assertThat(i.serviceRequestId()).isEqualTo(filed.get(i.id()));
                }
                assertThat(i.deliveryFailed()).isFalse();
            }
            Set<String> unknownInCaseSystem = new HashSet<>(filed.keySet());
            unknownInCaseSystem.removeAll(ids);

            // What the topic carries, deduplicated by incident id and by CloudEvent id.
            Map<String, Set<String>> eventsPerIncident = new HashMap<>();
            int records = 0;
            try (TopicReader topic = new TopicReader(broker.bootstrap(), KafkaOptions.DEFAULT_TOPIC)) {
                int expectedEvents = 2 * incidents.size();
                Awaits.until(Duration.ofSeconds(60), () -> {
                    try {
                        eventsPerIncident.clear();
                        for (TopicReader.Event e : topic.poll(Duration.ofMillis(300))) {
                            JsonNode v = e.value();
                            eventsPerIncident.computeIfAbsent(e.key(), k -> new HashSet<>()).add(v.get("id").asText());
                        }
                        return eventsPerIncident.values().stream().mapToInt(Set::size).sum() >= expectedEvents;
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }, () -> "distinct events on the topic: " + eventsPerIncident.size());
                records = topic.poll(Duration.ofMillis(100)).size();
            }
            int missingOnTopic = 0;
            for (String id : ids) {
                Set<String> events = eventsPerIncident.getOrDefault(id, Set.of());
                if (!events.contains(id + "/1")) {
                    missingOnTopic++;
                }
            }
            Set<String> unknownOnTopic = new HashSet<>(eventsPerIncident.keySet());
            unknownOnTopic.removeAll(ids);
            int distinctEvents = eventsPerIncident.values().stream().mapToInt(Set::size).sum();

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("candidates", TOTAL);
            report.put("childRuns", runs);
            report.put("kills", kills);
            report.put("killsWhileDraining", killsWhileDraining);
            report.put("incidentsExpected", expected);
            report.put("incidentsInRocksDB", incidents.size());
            report.put("lost", lost);
            report.put("duplicatedIncidents", duplicated);
            report.put("caseSystemServiceRequests", filed.size());
            report.put("caseSystemPosts", cases.posts());
            report.put("caseSystemResendsAbsorbedByIdempotencyKey", cases.resends());
            report.put("caseSystemDuplicates", filed.size() - (incidents.size() - missingInCaseSystem)
                    + unknownInCaseSystem.size());
            report.put("missingInCaseSystem", missingInCaseSystem);
            report.put("topicRecords", records);
            report.put("topicDistinctEvents", distinctEvents);
            report.put("topicIncidents", eventsPerIncident.size());
            report.put("missingOnTopic", missingOnTopic);
            report.put("wallMillis", runMillis);
            String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
            System.out.println("crash test report: " + json);
            Path out = Path.of("target", "crash-report.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, json);

            assertThat(kills).isGreaterThanOrEqualTo(20);
            assertThat(incidents).hasSize(expected);
            assertThat(lost).isZero();
            assertThat(duplicated).isZero();
            assertThat(missingInCaseSystem).isZero();
            assertThat(unknownInCaseSystem).isEmpty();
            assertThat(filed).hasSize(incidents.size());
            assertThat(missingOnTopic).isZero();
            assertThat(unknownOnTopic).isEmpty();
            assertThat(cases.badRequests()).isZero();
        }
    }

    private int nearestPlace(double lat, double lon) {
        int best = -1;
        double bestMeters = Double.MAX_VALUE;
        for (int k = 0; k < CrashStream.PLACES; k++) {
            // Equirectangular is plenty at 200 m spacing and keeps config classes out of the check.
            double dy = (placeLat[k] - lat) * 111_195.0;
            double dx = (placeLon[k] - lon) * 111_195.0 * Math.cos(Math.toRadians(lat));
            double m = Math.hypot(dx, dy);
            if (m < bestMeters) {
                bestMeters = m;
                best = k;
            }
        }
        assertThat(bestMeters).isLessThan(1.0);
        return best;
    }
}

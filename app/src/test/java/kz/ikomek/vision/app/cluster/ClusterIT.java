package kz.ikomek.vision.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import kz.ikomek.vision.bridge.casesystem.LocalCaseSystem;
import kz.ikomek.vision.bridge.kafka.LocalKafkaBroker;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.ingest.cluster.ClusterStatus;
import kz.ikomek.vision.simulator.RtspSimulator;
import kz.ikomek.vision.simulator.SimulatorOptions;
import kz.ikomek.vision.simulator.scene.Scenario;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode with real parts: a real Kafka broker (KRaft, from Maven Central), 36 simulated cameras over real
 * RTSP, the Open311 stand-in over HTTP, and three worker JVMs started from the launcher jar exactly as
 * {@code ikomek-vision run} starts. Whether a camera runs, and on how many workers, is read where it cannot lie:
 * the simulator counts the RTSP clients playing each camera.
 *
 * <ol>
 *   <li>every camera runs on exactly one worker, and the demo's incidents reach the topic and the case system;</li>
 *   <li>kill -9 of the worker with the most incident cameras: its cameras run elsewhere within 60 s, none twice, and no
 *       incident is lost or duplicated at the case system (the Open311 stand-in, real HTTP) or on
 *       {@code ikomek.incidents.v1};</li>
 *   <li>the worker comes back and takes its share again;</li>
 *   <li>the broker is down for a minute: every camera keeps running where it was, and once it is back nothing was
 *       lost and nothing duplicated.</li>
 * </ol>
 */
@Tag("integration")
class ClusterIT {

    static final int CAMERAS = 36;
    static final String PASSWORD = "cluster-it-password";
    static final Duration FAILOVER_BAR = Duration.ofSeconds(60);
    /** "The broker down for a minute": the whole minute. */
    static final Duration BROKER_OUTAGE = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The streets that raise an incident (the demo's reliable ones) and the site each incident belongs to. */
    static final Map<Integer, Scenario> INCIDENT_STREETS = Map.of(
            1, Scenario.FLOOD, 3, Scenario.SNOW, 4, Scenario.OPEN_MANHOLE, 5, Scenario.DUMPING);
    /**
     * Each incident camera's street seed: the demo's (DemoCommand). The flood head (ikomek-city) raises the crossing
     * from cam-01's dusk street; the daylight rendered floods (cam-02, cam-11) stay under its threshold. The dumping
     * camera shows street 14, where the COCO detector finds the rendered truck.
     */
    static final Map<Integer, Integer> STREET_SEED = Map.of(1, 1, 3, 3, 4, 4, 5, 14);
    /** cam-01 and cam-02 look at one flooded crossing from two corners: one incident. */
    static final Map<String, String> SITE = Map.of("cam-01", "crossing", "cam-02", "crossing", "cam-03", "respublika",
            "cam-04", "mangilik", "cam-05", "kenesary", "cam-11", "turan");
    /**
     * What must arrive. Dumping (cam-05) is not required: on a loaded machine its tracker misses the truck's stop
     * at times (README, bench e2e), which says nothing about the cluster; when it does raise, it counts like any.
     */
    static final Set<String> EXPECTED = Set.of("flood@crossing", "snow@respublika", "open_manhole@mangilik");

    @TempDir
    Path dir;

    final List<Worker> workers = new ArrayList<>();
    final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
    /** Highest number of clients ever seen playing one camera at once, per camera. */
    final Map<Integer, Integer> mostPlayers = new ConcurrentHashMap<>();

    @AfterEach
    void stopWorkers() {
        watch.shutdownNow();
        workers.forEach(Worker::kill);
    }

    @Test
    void cameras_fail_over_to_the_living_workers_within_a_minute_and_no_incident_is_lost_or_duplicated()
            throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), 0);
             RtspSimulator sim = RtspSimulator.start(simulator());
             LocalCaseSystem cases = new LocalCaseSystem(0, "it-key")) {
            try {
                run(broker, sim, cases);
            } catch (AssertionError | Exception e) {
                workers.forEach(w -> System.out.println(w.tail()));
                throw e;
            }
        }
    }

    private void run(LocalKafkaBroker broker, RtspSimulator sim, LocalCaseSystem cases) throws Exception {
        Path config = writeConfig(broker.bootstrap(), sim, cases);
        // What `cluster status` sees: the workers' file, read without any one worker's environment.
        VisionConfig cfg = ConfigLoader.load(config, Map.of("IKOMEK_DATA", dir.toString(), "IKOMEK_CONSOLE_PORT", "1"));
        watch.scheduleAtFixedRate(() -> sim.playingByCamera().forEach((cam, n) -> mostPlayers.merge(cam, n,
                Math::max)), 0, 200, TimeUnit.MILLISECONDS);

        for (int w = 1; w <= 3; w++) {
            workers.add(Worker.start(config, dir.resolve("w" + w)));
        }
        long t0 = System.nanoTime();
        // Three JVMs loading the model at once on a shared machine: start-up is slow, and not what is measured.
        await("all " + CAMERAS + " cameras playing, shared by three workers", Duration.ofSeconds(180),
                () -> sharedByThree(cfg, sim));
        System.out.printf("ClusterIT: three workers up, all cameras running after %.1f s%n", seconds(t0));
        assertThat(mostPlayers).as("cameras read by more than one worker").allSatisfy((cam, n) ->
                assertThat(n).as("cam-" + cam).isEqualTo(1));
        ClusterStatus.Snapshot spread = ClusterStatus.read(cfg.cluster().orElseThrow(), cfg.cameras());
        assertThat(spread.workers()).hasSize(3).allSatisfy(w -> assertThat(w.cameras()).isNotEmpty());
        assertThat(spread.unassigned()).isEmpty();
        assertConsoleShowsEveryCamera(workers.get(0), spread.workerOf());

        await("the demo's incidents on ikomek.incidents.v1 and at the case system", Duration.ofSeconds(90),
                () -> incidentsOnTopic(broker.bootstrap()).keySet().containsAll(EXPECTED)
                        && incidentsAtCaseSystem(cases).keySet().containsAll(EXPECTED));

        // kill -9 the worker that runs the most incident cameras: their incidents must survive it, once each.
        Worker victim = busiest(spread);
        Set<String> itsCameras = new TreeSet<>(spread.workers().stream()
                .filter(w -> w.id().equals(victim.id())).findFirst().orElseThrow().cameras());
        mostPlayers.clear();
        long killedAt = System.nanoTime();
        victim.kill();
        await("every camera running again", FAILOVER_BAR, () -> playing(sim) == CAMERAS
                && ClusterStatus.read(cfg.cluster().orElseThrow(), cfg.cameras()).workers().size() == 2);
        double failover = seconds(killedAt);
        System.out.printf("ClusterIT: kill -9 of %s (%d cameras) → all %d cameras running after %.1f s%n",
                victim.id(), itsCameras.size(), CAMERAS, failover);
        assertThat(failover).isLessThan(FAILOVER_BAR.toSeconds());
        // Any surviving console shows the moved cameras on the workers that run them now.
        assertConsoleShowsEveryCamera(workers.stream().filter(w -> w != victim).findFirst().orElseThrow(),
                ClusterStatus.read(cfg.cluster().orElseThrow(), cfg.cameras()).workerOf());

        // Let the cameras that moved see their incidents again: the trackers start over on the new worker.
        Thread.sleep(Duration.ofSeconds(30).toMillis());
        assertThat(mostPlayers).as("cameras read twice during the failover").allSatisfy((cam, n) ->
                assertThat(n).as("cam-" + cam).isEqualTo(1));
        assertOncePerIncident(cases, broker.bootstrap());

        // The worker comes back and takes its share.
        workers.remove(victim);
        Worker back = Worker.start(config, dir.resolve("w-back"));
        workers.add(back);
        await("the returning worker runs cameras again", Duration.ofSeconds(90), () -> sharedByThree(cfg, sim));
        ClusterStatus.Snapshot evened = ClusterStatus.read(cfg.cluster().orElseThrow(), cfg.cameras());
        System.out.println("ClusterIT: after the worker came back: " + counts(evened));
        assertThat(mostPlayers).as("cameras read twice while moving back").allSatisfy((cam, n) ->
                assertThat(n).as("cam-" + cam).isEqualTo(1));

        // The broker away for a minute: every worker keeps its cameras.
        Map<String, String> before = evened.workerOf();
        broker.stop();
        long down = System.nanoTime();
        while (System.nanoTime() - down < BROKER_OUTAGE.toNanos()) {
            assertThat(playing(sim)).as("cameras playing while the broker is down").isEqualTo(CAMERAS);
            Thread.sleep(1000);
        }
        broker.restart();
        await("the group back with the same assignment", Duration.ofSeconds(60), () -> {
            ClusterStatus.Snapshot s = ClusterStatus.read(cfg.cluster().orElseThrow(), cfg.cameras());
            return s.workerOf().equals(before);
        });
        assertThat(mostPlayers).as("cameras read twice around the broker outage").allSatisfy((cam, n) ->
                assertThat(n).as("cam-" + cam).isEqualTo(1));
        assertThat(playing(sim)).isEqualTo(CAMERAS);
        assertOncePerIncident(cases, broker.bootstrap());
        System.out.printf("ClusterIT: whole run %.1f s%n", seconds(t0));
    }

    // ---------------------------------------------------------------- the setup

    private static SimulatorOptions simulator() {
        SimulatorOptions.Builder b = SimulatorOptions.builder().cameras(CAMERAS).port(0)
                .loopStartsOnPlay(true).leadIn(Duration.ofSeconds(5));
        for (int n = 1; n <= CAMERAS; n++) {
            Scenario s = INCIDENT_STREETS.get(n);
            // The demo's streets (cached when the demo ran here): the incident ones, and one clear street for the
            // rest, so that a first run encodes seven loops.
            b.camera(n, s == null ? Scenario.CLEAR : s, s == null ? 6 : STREET_SEED.get(n));
        }
        return b.build();
    }

    private Path writeConfig(String bootstrap, RtspSimulator sim, LocalCaseSystem cases) throws IOException {
        String hash = new Passwords(4).hash(PASSWORD);
        StringBuilder y = new StringBuilder();
        y.append("storage: { dir: \"${IKOMEK_DATA}\" }\n")
                .append("zonePresets:\n")
                .append("  street: [{ id: road, polygon: [[0.0, 0.42], [1.0, 0.42], [1.0, 1.0], [0.0, 1.0]], "
                        + "detectors: [snow, flood, open_manhole] }]\n")
                .append("  dumping-street:\n")
                .append("    - { id: road, polygon: [[0.0, 0.42], [1.0, 0.42], [1.0, 1.0], [0.0, 1.0]], "
                        + "detectors: [snow, flood, open_manhole] }\n")
                .append("    - { id: roadside, polygon: [[0.45, 0.55], [1.0, 0.55], [1.0, 1.0], [0.45, 1.0]], "
                        + "detectors: [dumping] }\n")
                .append("cameras:\n");
        for (int n = 1; n <= CAMERAS; n++) {
            String id = String.format("cam-%02d", n);
            // cam-01 and cam-02 are 30 m apart (one crossing); every other camera is a kilometre from the next.
            double lat = n == 2 ? 51.12800 : 51.12820 + (n == 1 ? 0 : n * 0.01);
            double lon = n == 2 ? 71.43020 : 71.43050;
            y.append(String.format(java.util.Locale.ROOT, "  - { id: %s, url: \"%s\", zones: %s, location: "
                            + "{ lat: %.5f, lon: %.5f, address: \"street %d\" } }\n", id, sim.url(n),
                    n == 5 ? "dumping-street" : "street", lat, lon, n));
        }
        // The demo's detector settings (this is the demo's city), so its incidents come within a minute.
        y.append("detectors:\n")
                .append("  snow: { cadence: 4s, months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], threshold: 0.45, "
                        + "tracker: { k: 3, n: 4, minDuration: 10s, clearDuration: 5m } }\n")
                .append("  flood: { cadence: 3s, threshold: 0.8, tracker: { k: 3, n: 5, minDuration: 8s, "
                        + "clearDuration: 5m } }\n")
                .append("  open_manhole: { cadence: 2s, tracker: { k: 3, n: 5, minDuration: 6s, clearDuration: 2m } }\n")
                .append("  dumping: { cadence: 1s, threshold: 0.6 }\n")
                .append("incidents: { mergeRadiusMeters: 60, cooldown: 6h }\n")
                .append("delivery:\n")
                .append("  open311: { endpoint: \"").append(cases.endpoint()).append("\", apiKey: it-key, submit: detected }\n")
                .append("console:\n  port: \"${IKOMEK_CONSOLE_PORT}\"\n")
                .append("  users: [{ username: admin, role: admin, passwordHash: \"").append(hash).append("\" }]\n")
                .append("cluster: { kafka: \"").append(bootstrap).append("\", partitions: 60 }\n");
        Path config = dir.resolve("cluster.yaml");
        Files.writeString(config, y.toString(), StandardCharsets.UTF_8);
        return config;
    }

    // ---------------------------------------------------------------- what is checked

    /** Three workers in the group, each running cameras, none unassigned, and every camera played. */
    private static boolean sharedByThree(VisionConfig cfg, RtspSimulator sim) {
        ClusterStatus.Snapshot s = ClusterStatus.read(cfg.cluster().orElseThrow(), cfg.cameras());
        return s.workers().size() == 3 && s.workers().stream().allMatch(w -> !w.cameras().isEmpty())
                && s.unassigned().isEmpty() && playing(sim) == CAMERAS;
    }

    private static int playing(RtspSimulator sim) {
        return sim.playingByCamera().size();
    }

    /** type@site → the incident ids the case system filed for it. */
    private static Map<String, Set<String>> incidentsAtCaseSystem(LocalCaseSystem cases) {
        Map<String, Set<String>> bySite = new TreeMap<>();
        for (String id : cases.keys()) {
            Map<String, String> form = cases.form(id);
            String camera = String.format("cam-%02d", Integer.parseInt(form.get("address_string").replace("street ", "")));
            String type = switch (form.get("service_code")) {
                case "snow-removal" -> "snow";
                case "storm-drain" -> "flood";
                case "manhole" -> "open_manhole";
                default -> "dumping";
            };
            bySite.computeIfAbsent(type + "@" + SITE.getOrDefault(camera, camera), k -> new TreeSet<>()).add(id);
        }
        return bySite;
    }

    /** type@site → incident ids on the incidents topic, read from its start. */
    private static Map<String, Set<String>> incidentsOnTopic(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "cluster-it-" + System.nanoTime());
        Map<String, Set<String>> bySite = new TreeMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("ikomek.incidents.v1"));
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode data = JSON.readTree(r.value()).get("data");
                    String camera = data.get("cameras").get(0).asText();
                    bySite.computeIfAbsent(data.get("type").asText() + "@" + SITE.getOrDefault(camera, camera),
                            k -> new TreeSet<>()).add(data.get("id").asText());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bySite;
    }

    private static void assertOncePerIncident(LocalCaseSystem cases, String bootstrap) {
        Map<String, Set<String>> filed = incidentsAtCaseSystem(cases);
        assertThat(filed.keySet()).as("incidents at the case system").containsAll(EXPECTED);
        assertThat(filed).as("one incident per place and type at the case system").allSatisfy((site, ids) ->
                assertThat(ids).as(site).hasSize(1));
        Map<String, Set<String>> published = incidentsOnTopic(bootstrap);
        assertThat(published.keySet()).as("incidents on ikomek.incidents.v1").containsAll(EXPECTED);
        assertThat(published).as("one incident per place and type on ikomek.incidents.v1").allSatisfy((site, ids) ->
                assertThat(ids).as(site).hasSize(1));
    }

    /**
     * The console of one worker lists every camera of the cluster with the worker that runs it, as the group
     * assigned them (each worker reports its cameras' health every 5 s, so allow a few rounds).
     */
    private void assertConsoleShowsEveryCamera(Worker w, Map<String, String> expected) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String base = "http://127.0.0.1:" + w.consolePort;
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        Map<String, String> shown = new HashMap<>();
        await("the console of " + w.id() + " lists all " + expected.size() + " cameras with their workers",
                Duration.ofSeconds(30), () -> {
                    shown.clear();
                    try {
                        JsonNode cams = JSON.readTree(http.send(HttpRequest.newBuilder(
                                URI.create(base + "/api/cameras?limit=1000")).build(),
                                HttpResponse.BodyHandlers.ofString()).body()).get("cameras");
                        cams.forEach(c -> shown.put(c.get("id").asText(),
                                c.hasNonNull("worker") ? c.get("worker").asText() : "(none)"));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return shown.equals(expected);
                });
    }

    private Worker busiest(ClusterStatus.Snapshot s) {
        ClusterStatus.Worker most = s.workers().stream()
                .max(java.util.Comparator.comparingLong((ClusterStatus.Worker w) -> w.cameras().stream()
                        .filter(SITE::containsKey).count()).thenComparingInt(w -> w.cameras().size())).orElseThrow();
        return workers.stream().filter(w -> w.id().equals(most.id())).findFirst().orElseThrow();
    }

    private static Map<String, Integer> counts(ClusterStatus.Snapshot s) {
        Map<String, Integer> m = new TreeMap<>();
        s.workers().forEach(w -> m.put(w.id(), w.cameras().size()));
        return m;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // the broker may be away for a moment; ask again
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
    }

    // ---------------------------------------------------------------- a worker process

    /** {@code ikomek-vision run --config FILE} in its own JVM, set apart by IKOMEK_DATA and IKOMEK_CONSOLE_PORT. */
    static final class Worker {
        final Process process;
        final Path log;
        final int consolePort;

        private Worker(Process process, Path log, int consolePort) {
            this.process = process;
            this.log = log;
            this.consolePort = consolePort;
        }

        static Worker start(Path config, Path data) throws IOException {
            Files.createDirectories(data);
            int port;
            try (var s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = data.resolve("worker.log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar",
                    Path.of("target", "ikomek-vision.jar").toAbsolutePath().toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("IKOMEK_DATA", data.toString());
            pb.environment().put("IKOMEK_CONSOLE_PORT", Integer.toString(port));
            return new Worker(pb.start(), log, port);
        }

        /** Its worker id, host-pid, as the group knows it. */
        String id() {
            return hostName() + "-" + process.pid();
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "localhost";
            }
        }

        /** SIGKILL: no shutdown hook, no leaving the group. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return "---- " + log + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "---- " + log + ": " + e.getMessage();
            }
        }
    }
}

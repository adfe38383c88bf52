package kz.ikomek.vision.benchmarks.bridge;

import kz.ikomek.vision.benchmarks.Machine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.IncidentBridge;
import kz.ikomek.vision.bridge.Recorded;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * {@code ikomek-vision bench bridge [--json OUT] [--candidates N] [--submitted N] [--threads 1,4,16]}: candidates
 * per second into the bridge, each durable (one synced WriteBatch holds the incident, its outbox and its frame).
 *
 * <p>The headline runs are one producer thread handing candidates over with {@code submit} (it does not wait for
 * its fsync; everything pending shares the next synced WriteBatch): flat out, the rate until the last one is
 * durable; paced at {@code --rate} (default 5,000/s), the latency from hand-over to "durable" (its future
 * completing). Both report the CPU time per candidate of the producer and of the commit thread: what one
 * candidate costs whatever else shares the cores. The runs beside it call the waiting
 * {@code record} from 1, 4 and 16 threads, as callers that need the decision do.
 *
 * <p>The reference beside it, in the same run: raw RocksDB puts with sync=true, one thread, one small value
 * each: what one fsync costs on this disk. The ratio says how much of the disk's synced-write rate the
 * bridge turns into candidates (above 1 with several threads: group commit shares one fsync among callers).
 *
 * <p>The stream: 70% of candidates repeat a known place (merge: another camera or a later frame), 30% open
 * a new place; every candidate carries one new 24 KB frame (the latest frame, as a tracker sends it).
 */
public final class BridgeBench {

    private static final int FRAME_BYTES = 24 * 1024;
    private static final GeoPoint ORIGIN = new GeoPoint(51.1282, 71.4307);
    private static final IncidentType[] TYPES = {IncidentType.SNOW, IncidentType.FLOOD, IncidentType.OPEN_MANHOLE};

    private BridgeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of("benchmarks/results/bridge.json");
        int candidates = 3000;
        int submitted = 10_000;
        int rate = 5000;
        int[] threads = {1, 4, 16};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(args[++i]);
                case "--candidates" -> candidates = Integer.parseInt(args[++i]);
                case "--submitted" -> submitted = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> {
                    System.err.println("usage: bench bridge [--json OUT] [--candidates N] [--submitted N] [--rate PER_S] [--threads 1,4,16]");
                    System.exit(2);
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "incident bridge: synced candidates/s into RocksDB (submit: one producer, future "
                + "completes when durable; record: waits)");
        result.put("machine", Machine.describe());
        result.put("candidatesPerRun", candidates);
        result.put("frameBytes", FRAME_BYTES);
        result.put("mix", "70% merge into a known place, 30% new place; one new frame per candidate");

        double reference = rawSyncedPuts(Math.min(candidates, 1000));
        result.put("referenceRawRocksDbSyncedPutsPerSecond", round(reference));
        // Warm-up, not recorded: the first run would otherwise pay for the JIT compiling the decision path.
        submitted(Math.min(submitted, 3000), 0);
        // Latency at the offered rate first, then throughput flat out: an open-loop producer faster than the bridge
        // only measures its own queue, so the latency figure is the paced one. Each run starts on a settled disk.
        settleDisk();
        Map<String, Object> paced = submitted(submitted, rate);
        result.put("submitOneProducerPaced", paced);
        report("submit, 1 producer at " + rate + "/s", paced);
        settleDisk();
        Map<String, Object> async = submitted(submitted, 0);
        async.put("ratioToRawSyncedPuts", round((double) async.get("candidatesPerSecond") / reference));
        result.put("submitOneProducer", async);
        report("submit, 1 producer, flat out", async);
        settleDisk();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int t : threads) {
            Map<String, Object> run = run(candidates, t);
            run.put("ratioToRawSyncedPuts", round((double) run.get("candidatesPerSecond") / reference));
            runs.add(run);
            System.out.printf("threads %2d: %8.1f candidates/s  p50 %6.2f ms  p99 %7.2f ms  %.2f changes per fsync%n",
                    t, run.get("candidatesPerSecond"), run.get("p50Millis"), run.get("p99Millis"),
                    run.get("changesPerFsync"));
        }
        System.out.printf("reference: %.1f raw synced RocksDB puts/s (1 thread)%n", reference);
        result.put("runs", runs);
        result.put("loadAverageAfter", Machine.loadAverage());
        result.put("finishedAt", Instant.now().toString());
        Files.createDirectories(json.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
        System.out.println("wrote " + json);
    }

    private static Map<String, Object> run(int n, int threads) throws Exception {
        Path dir = Files.createTempDirectory("bridge-bench");
        List<Candidate> stream = stream(n);
        long[] latencies = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        Map<String, Object> run = new LinkedHashMap<>();
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir))) {
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        long t0 = System.nanoTime();
                        Recorded r = bridge.record(stream.get(i));
                        latencies[i] = System.nanoTime() - t0;
                        if (r.outcome() == Recorded.Outcome.OPENED) {
                            opened.incrementAndGet();
                        }
                    }
                });
                w.start();
                workers.add(w);
            }
            for (Thread w : workers) {
                w.join();
            }
            run.put("threads", threads);
            figures(run, bridge, latencies, opened.get(), (System.nanoTime() - start) / 1e9);
        } finally {
            deleteTree(dir);
        }
        return run;
    }

    /**
     * One producer thread submits every candidate without waiting; each latency ends when its future does.
     * {@code rate} 0: as fast as it can (the throughput); else paced at that many per second (the latency of
     * "durable" at that offered load: open-loop latencies only measure the queue once the producer outruns).
     */
    private static Map<String, Object> submitted(int n, int rate) throws Exception {
        Path dir = Files.createTempDirectory("bridge-bench");
        List<Candidate> stream = stream(n);
        long[] latencies = new long[n];
        AtomicInteger opened = new AtomicInteger();
        Map<String, Object> run = new LinkedHashMap<>();
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir))) {
            java.util.concurrent.CompletableFuture<?>[] durable = new java.util.concurrent.CompletableFuture<?>[n];
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long commitCpu0 = threadCpu(cpu, "bridge-group-commit");
            long producerCpu0 = cpu.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int me = i;
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                long t0 = System.nanoTime();
                durable[i] = bridge.recordAsync(stream.get(i)).thenAccept(r -> {
                    latencies[me] = System.nanoTime() - t0;
                    if (r.outcome() == Recorded.Outcome.OPENED) {
                        opened.incrementAndGet();
                    }
                });
            }
            double handOver = (System.nanoTime() - start) / 1e9;
            long producerCpu = cpu.getCurrentThreadCpuTime() - producerCpu0;
            java.util.concurrent.CompletableFuture.allOf(durable).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            // CPU time, unlike wall time, says what one candidate costs when other work shares the cores.
            run.put("producerCpuMicrosPerCandidate", round(producerCpu / 1e3 / n));
            run.put("commitThreadCpuMicrosPerCandidate",
                    round((threadCpu(cpu, "bridge-group-commit") - commitCpu0) / 1e3 / n));
            run.put("producerThreads", 1);
            run.put("offeredPerSecond", rate == 0 ? "as fast as it can" : rate);
            run.put("handOverSeconds", round(handOver));
            figures(run, bridge, latencies, opened.get(), seconds);
        } finally {
            deleteTree(dir);
        }
        return run;
    }

    /**
     * Writes the page cache's dirty pages out ({@code sync}) and waits a second: the hundreds of MB a run leaves to
     * the kernel's writeback would otherwise compete with the next run's synced writes for the disk.
     */
    private static void settleDisk() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        Thread.sleep(1000);
    }

    private static void report(String what, Map<String, Object> run) {
        System.out.printf("%s: %8.1f candidates/s  durable p50 %6.2f ms  p99 %7.2f ms  %.2f changes per fsync; CPU"
                        + " per candidate: producer %.0f us, commit thread %.0f us%n", what,
                run.get("candidatesPerSecond"), run.get("p50Millis"), run.get("p99Millis"), run.get("changesPerFsync"),
                run.get("producerCpuMicrosPerCandidate"), run.get("commitThreadCpuMicrosPerCandidate"));
    }

    /** CPU nanoseconds of the live thread with that name so far (0 when there is none). */
    private static long threadCpu(java.lang.management.ThreadMXBean cpu, String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return Math.max(0, cpu.getThreadCpuTime(t.getId()));
            }
        }
        return 0;
    }

    /** The figures every run reports; latencies are sorted here. */
    private static void figures(Map<String, Object> run, IncidentBridge bridge, long[] latencies, int incidents,
                                double seconds) {
        int n = latencies.length;
        long[] stats = bridge.commitStats();
        Arrays.sort(latencies);
        run.put("candidates", n);
        run.put("incidents", incidents);
        run.put("seconds", round(seconds));
        run.put("candidatesPerSecond", round(n / seconds));
        run.put("p50Millis", round(latencies[n / 2] / 1e6));
        run.put("p99Millis", round(latencies[(int) (n * 0.99)] / 1e6));
        run.put("maxMillis", round(latencies[n - 1] / 1e6));
        run.put("fsyncGroups", stats[0]);
        run.put("changesPerFsync", round((double) stats[1] / Math.max(1, stats[0])));
    }

    /** Deterministic: the same candidates in every run, so thread counts compare like with like. */
    private static List<Candidate> stream(int n) {
        SplittableRandom random = new SplittableRandom(42);
        List<Candidate> out = new ArrayList<>(n);
        int places = 0;
        Instant base = Instant.parse("2026-01-10T06:00:00Z");
        for (int i = 0; i < n; i++) {
            int place = places == 0 || random.nextInt(10) < 3 ? places++ : random.nextInt(places);
            Instant at = base.plusSeconds(i);
            byte[] frame = new byte[FRAME_BYTES];
            random.nextBytes(frame);
            frame[0] = (byte) 0xFF;
            frame[1] = (byte) 0xD8;
            String camera = "cam-" + place + (random.nextBoolean() ? "-a" : "-b");
            GeoPoint where = new GeoPoint(ORIGIN.lat() + (place % 100) * 200 / 111_195.0,
                    ORIGIN.lon() + (place / 100) * 320 / 111_195.0);
            out.add(new Candidate(camera + "/road", camera, "road", TYPES[place % 3], where, "street " + place, at,
                    at, 0.7 + random.nextDouble() * 0.3,
                    List.of(new Evidence("frame", EvidenceFiles.sha256(frame), at, frame))));
        }
        return out;
    }

    private static double rawSyncedPuts(int n) throws Exception {
        RocksDB.loadLibrary();
        Path dir = Files.createTempDirectory("rocksdb-reference");
        try (Options options = new Options().setCreateIfMissing(true);
             RocksDB db = RocksDB.open(options, dir.toString());
             WriteOptions sync = new WriteOptions().setSync(true)) {
            byte[] value = new byte[512];
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                db.put(sync, ("key-" + i).getBytes(StandardCharsets.UTF_8), value);
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            deleteTree(dir);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

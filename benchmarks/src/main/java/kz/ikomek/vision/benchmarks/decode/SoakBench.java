package kz.ikomek.vision.benchmarks.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import kz.ikomek.vision.benchmarks.Machine;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.IngestOptions;
import kz.ikomek.vision.ingest.IngestService;
import kz.ikomek.vision.ingest.health.CameraHealth;
import org.bytedeco.javacpp.Pointer;

/**
 * {@code ikomek-vision bench soak [--minutes 60]}: camera sessions that keep losing their streams, for an hour,
 * while resident memory, JavaCPP's native memory and the thread count are sampled every 30 s. They must stay flat
 * (JavaCV's grabber has a history of hanging in native reads and of growing native memory over long runs).
 *
 * <p>Four {@code simulate} processes (not this JVM, so only the sessions are measured), each with its own way of
 * failing:
 * <ul>
 *   <li>{@code drop}: resets the connection 20 s after PLAY ({@code --drop-after 20s});</li>
 *   <li>{@code stall}: stops the video 15 s after PLAY but keeps the socket open (the read timeout must fire);</li>
 *   <li>{@code garbage}: sends random bytes instead of RTP 10 s after PLAY;</li>
 *   <li>{@code killed}: a healthy server that is killed (SIGKILL) every 5 min and started again 10 s later
 *       (connections reset, then refused until it is back).</li>
 * </ul>
 * Sessions use the default options except that 10 s of streaming resets the backoff (default 60 s), so that each
 * drop reconnects within a second or two and the hour holds thousands of reconnects.
 *
 * <pre>ikomek-vision bench soak [--minutes 60] [--sample-seconds 30] [--cadence 2] [--drop 40] [--stall 10]
 *      [--garbage 10] [--killed 20] [--kill-every 300] [--down 10] [--warmup-minutes 5]
 *      [--json benchmarks/results/soak.json] [--png benchmarks/results/soak.png] [--logs DIR]</pre>
 * The JSON (and the plot) are rewritten after every sample, so a run cut short still leaves its curve.
 */
public final class SoakBench {

    private SoakBench() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = 60;
        int sampleSeconds = 30;
        int cadence = 2;
        int drop = 40;
        int stall = 10;
        int garbage = 10;
        int killed = 20;
        int killEvery = 300;
        int down = 10;
        int warmupMinutes = 5;
        Path json = Path.of("benchmarks/results/soak.json");
        Path png = Path.of("benchmarks/results/soak.png");
        Path logs = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
                case "--cadence" -> cadence = Integer.parseInt(args[++i]);
                case "--drop" -> drop = Integer.parseInt(args[++i]);
                case "--stall" -> stall = Integer.parseInt(args[++i]);
                case "--garbage" -> garbage = Integer.parseInt(args[++i]);
                case "--killed" -> killed = Integer.parseInt(args[++i]);
                case "--kill-every" -> killEvery = Integer.parseInt(args[++i]);
                case "--down" -> down = Integer.parseInt(args[++i]);
                case "--warmup-minutes" -> warmupMinutes = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--png" -> png = Path.of(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class comment)");
            }
        }
        Files.createDirectories(logs);
        IngestService.loadNatives();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        List<SimulatorProcess> sims = new ArrayList<>();
        sims.add(SimulatorProcess.start("drop", drop, List.of("--drop-after", "20s"), logs.resolve("soak-sim-drop.log")));
        sims.add(SimulatorProcess.start("stall", stall, List.of("--stall-after", "15s"), logs.resolve("soak-sim-stall.log")));
        sims.add(SimulatorProcess.start("garbage", garbage, List.of("--garbage-after", "10s"),
                logs.resolve("soak-sim-garbage.log")));
        SimulatorProcess victim = SimulatorProcess.start("killed", killed, List.of(), logs.resolve("soak-sim-killed.log"));
        sims.add(victim);

        IngestOptions options = IngestOptions.defaults()
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10));
        AtomicLong kills = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("minutes", minutes);
        config.put("sampleSeconds", sampleSeconds);
        config.put("cadenceSeconds", cadence);
        config.put("warmupMinutes", warmupMinutes);
        config.put("cameras", Map.of("drop", drop, "stall", stall, "garbage", garbage, "killed", killed));
        config.put("faults", Map.of("drop", "--drop-after 20s", "stall", "--stall-after 15s", "garbage",
                "--garbage-after 10s", "killed", "SIGKILL every " + killEvery + " s, down " + down + " s"));
        config.put("ingest", Map.of("connectTimeout", options.connectTimeout().toString(), "readTimeout",
                options.readTimeout().toString(), "stallTimeout", options.stallTimeout().toString(), "backoff",
                options.backoffInitial() + ".." + options.backoffMax() + ", reset after " + options.healthyAfter()));

        try (IngestService ingest = new IngestService(options); SampleDrain drain = new SampleDrain(ingest)) {
            int every = killEvery;
            int downFor = down;
            Thread killer = new Thread(() -> killLoop(victim, every, downFor, kills, running), "soak-killer");
            killer.setDaemon(true);
            killer.start();

            Snapshot base = Snapshot.take(0, 0, 0, 0, ingest);
            for (SimulatorProcess sim : sims) {
                for (int n = 1; n <= sim.cameras(); n++) {
                    ingest.add(new CameraSource(sim.name() + "-" + n, sim.url(n), null,
                            Map.of("road", Duration.ofSeconds(cadence))));
                    Thread.sleep(50);   // 20 connects a second, as a deployment would stagger them
                }
            }
            String startedAt = Instant.now().toString();
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            List<Snapshot> curve = new ArrayList<>();
            long end = start + Duration.ofMinutes(minutes).toNanos();
            long next = start;
            while (true) {
                next += Duration.ofSeconds(sampleSeconds).toNanos();
                long sleep = Math.min(next, end) - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000);
                }
                double t = (System.nanoTime() - start) / 1e9;
                Snapshot s = Snapshot.take(t, drain.samples(), kills.get(), (os.getProcessCpuTime() - cpuStart) / 1e9,
                        ingest);
                curve.add(s);
                System.out.println(s.line());
                Map<String, Object> summary = summary(curve, warmupMinutes);
                write(json, result(config, startedAt, base, summary, curve, sims));
                try {
                    SoakPlot.write(curve, summary, png);
                } catch (IOException | RuntimeException e) {
                    System.err.println("soak: plot failed (the JSON has the curve): " + e);
                }
                if (System.nanoTime() >= end) {
                    break;
                }
            }
            running.set(false);
            killer.interrupt();
        } finally {
            for (SimulatorProcess sim : sims) {
                sim.close();
            }
        }
    }

    /** Kills the victim every {@code every} seconds and starts it again {@code down} seconds later. */
    private static void killLoop(SimulatorProcess victim, int every, int down, AtomicLong kills, AtomicBoolean running) {
        try {
            while (running.get()) {
                Thread.sleep(every * 1000L);
                victim.kill();
                kills.incrementAndGet();
                Thread.sleep(down * 1000L);
                for (int attempt = 1; ; attempt++) {
                    try {
                        victim.restart();
                        break;
                    } catch (IOException e) {
                        if (attempt >= 10) {
                            throw e;
                        }
                        Thread.sleep(2000);   // the port may still be held for a moment
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("soak: could not restart the killed simulator: " + e.getMessage());
        }
    }

    /** One point of the curve; memory after a GC and after JavaCPP freed what the GC found unreachable. */
    record Snapshot(double seconds, long rssBytes, long javacppPhysicalBytes, long javacppTotalBytes, long heapUsedBytes,
                    int threads, long reconnects, long abandoned, long samples, long serverKills, double cpuSeconds,
                    Map<String, Long> states) {

        static Snapshot take(double seconds, long samples, long kills, double cpuSeconds, IngestService ingest) {
            System.gc();
            Pointer.deallocateReferences();
            Runtime rt = Runtime.getRuntime();
            List<CameraHealth> health = ingest.health();
            Map<String, Long> states = health.stream().collect(Collectors.groupingBy(h -> h.state().wireName(),
                    TreeMap::new, Collectors.counting()));
            return new Snapshot(seconds, Machine.residentBytes(), Pointer.physicalBytes(), Pointer.totalBytes(),
                    rt.totalMemory() - rt.freeMemory(), ManagementFactory.getThreadMXBean().getThreadCount(),
                    health.stream().mapToLong(CameraHealth::reconnects).sum(), ingest.abandonedSessions(), samples, kills,
                    cpuSeconds, states);
        }

        double minutes() {
            return seconds / 60;
        }

        String line() {
            return String.format(java.util.Locale.ROOT,
                    "soak t=%.0fs rss=%.1fMiB javacpp=%.1fMiB threads=%d reconnects=%d abandoned=%d samples=%d kills=%d %s",
                    seconds, rssBytes / 1048576.0, javacppTotalBytes / 1048576.0, threads, reconnects, abandoned, samples,
                    serverKills, states);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", Math.round(seconds));
            m.put("rssMiB", mib(rssBytes));
            m.put("javacppPhysicalMiB", mib(javacppPhysicalBytes));
            m.put("javacppTotalMiB", mib(javacppTotalBytes));
            m.put("heapUsedMiB", mib(heapUsedBytes));
            m.put("threads", threads);
            m.put("reconnects", reconnects);
            m.put("abandonedSessions", abandoned);
            m.put("samples", samples);
            m.put("serverKills", serverKills);
            m.put("cpuSeconds", Math.round(cpuSeconds * 10) / 10.0);
            m.put("states", states);
            return m;
        }
    }

    private static Map<String, Object> result(Map<String, Object> config, String startedAt, Snapshot base,
                                              Map<String, Object> summary, List<Snapshot> curve, List<SimulatorProcess> sims) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "soak");
        r.put("startedAt", startedAt);
        r.put("machine", Machine.describe());
        r.put("config", config);
        r.put("before", base.toMap());
        r.put("summary", summary);
        Map<String, Object> servers = new LinkedHashMap<>();
        for (SimulatorProcess sim : sims) {
            servers.put(sim.name(), Map.of("cameras", sim.cameras(), "starts", sim.starts(),
                    "rssMiB", mib(Math.max(0, sim.residentBytes()))));
        }
        r.put("simulators", servers);
        r.put("samples", curve.stream().map(Snapshot::toMap).toList());
        return r;
    }

    /**
     * Flatness after the warm-up: first and last values, min/max, and the least-squares slope per hour of resident
     * and JavaCPP memory; min/max of threads.
     */
    static Map<String, Object> summary(List<Snapshot> curve, int warmupMinutes) {
        Snapshot last = curve.get(curve.size() - 1);
        List<Snapshot> settled = curve.stream().filter(s -> s.minutes() >= warmupMinutes).toList();
        if (settled.size() < 2) {
            settled = curve;
        }
        Snapshot first = settled.get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minutes", Math.round(last.minutes() * 10) / 10.0);
        m.put("reconnects", last.reconnects());
        m.put("reconnectsPerHour", last.seconds() > 0 ? Math.round(last.reconnects() * 3600 / last.seconds()) : 0);
        m.put("serverKills", last.serverKills());
        m.put("abandonedSessions", last.abandoned());
        m.put("samples", last.samples());
        m.put("cpuPercentOfMachine", last.seconds() > 0 ? Math.round(1000 * last.cpuSeconds() / last.seconds()
                / Runtime.getRuntime().availableProcessors()) / 10.0 : 0);
        m.put("settledFromMinute", Math.round(first.minutes() * 10) / 10.0);
        m.put("rssMiB", series(settled, Snapshot::rssBytes));
        m.put("javacppPhysicalMiB", series(settled, Snapshot::javacppPhysicalBytes));
        m.put("javacppTotalMiB", series(settled, Snapshot::javacppTotalBytes));
        m.put("threads", Map.of("first", first.threads(), "last", last.threads(),
                "min", settled.stream().mapToInt(Snapshot::threads).min().orElse(0),
                "max", settled.stream().mapToInt(Snapshot::threads).max().orElse(0)));
        long reconnectsSettled = last.reconnects() - first.reconnects();
        long rssGrowth = last.rssBytes() - first.rssBytes();
        m.put("rssGrowthBytesPerReconnect", reconnectsSettled > 0 ? rssGrowth / reconnectsSettled : 0);
        return m;
    }

    private static Map<String, Object> series(List<Snapshot> s, java.util.function.ToLongFunction<Snapshot> f) {
        double n = s.size();
        double mx = s.stream().mapToDouble(Snapshot::seconds).average().orElse(0);
        double my = s.stream().mapToDouble(x -> f.applyAsLong(x)).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Snapshot x : s) {
            sxy += (x.seconds() - mx) * (f.applyAsLong(x) - my);
            sxx += (x.seconds() - mx) * (x.seconds() - mx);
        }
        double slopePerHour = sxx == 0 ? 0 : sxy / sxx * 3600;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first", mib(f.applyAsLong(s.get(0))));
        m.put("last", mib(f.applyAsLong(s.get(s.size() - 1))));
        m.put("min", mib(s.stream().mapToLong(f).min().orElse(0)));
        m.put("max", mib(s.stream().mapToLong(f).max().orElse(0)));
        m.put("slopePerHour", Math.round(slopePerHour / 1048576.0 * 10) / 10.0);
        m.put("points", (int) n);
        return m;
    }

    static double mib(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    private static void write(Path json, Map<String, Object> result) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(json.getFileName() + ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), result);
        Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}

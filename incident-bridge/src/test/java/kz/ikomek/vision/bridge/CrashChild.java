package kz.ikomek.vision.bridge;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import kz.ikomek.vision.bridge.delivery.KafkaOptions;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.delivery.RetryPolicy;

/**
 * The process {@link CrashIT} kills: submits {@link CrashStream} from a few threads (each owning a set of
 * places, like partitions) without waiting for each fsync, remembering how far each got in a plain file every
 * 10 candidates once those are durable, so a restart replays up to 10 per thread (they must dedup). When the stream is done it waits for the outbox to drain.
 * Lines starting with "CRASHCHILD " are its protocol on stdout.
 */
public final class CrashChild {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("verify")) {
            verify(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Path dir = Path.of(args[0]);
        String bootstrap = args[1];
        URI endpoint = URI.create(args[2]);
        int total = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        BridgeOptions options = BridgeOptions.defaults(dir).withKafka(KafkaOptions.of(bootstrap))
                .withOpen311(Open311Options.of(endpoint, "test-key").withSubmitAt(IncidentState.DETECTED)
                        .withTimeout(Duration.ofSeconds(2)))
                .withRetry(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 10_000));
        IncidentBridge bridge = IncidentBridge.open(options);
        say("ready");
        AtomicInteger done = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Path progress = dir.resolve("progress-" + t);
            Thread w = new Thread(() -> {
                try {
                    int from = Files.exists(progress) ? Integer.parseInt(Files.readString(progress).trim()) : 0;
                    // Hands candidates over without waiting for each fsync, as the pipeline does; progress is
                    // remembered only once everything handed over before it is durable.
                    List<java.util.concurrent.CompletableFuture<Void>> inFlight = new ArrayList<>();
                    for (int i = from; i < total; i++) {
                        if (CrashStream.key(i) % threads != me) {
                            continue;
                        }
                        inFlight.add(bridge.submit(CrashStream.candidate(i)));
                        if (done.incrementAndGet() % 50 == 0) {
                            say("progress " + done.get());
                        }
                        if (i % 10 == 0) {
                            inFlight.forEach(java.util.concurrent.CompletableFuture::join);
                            inFlight.clear();
                            remember(progress, i + 1);
                        }
                    }
                    inFlight.forEach(java.util.concurrent.CompletableFuture::join);
                    remember(progress, total);
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }, "crash-worker-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        say("streamed");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (bridge.queued().values().stream().anyMatch(n -> n > 0)) {
            if (System.nanoTime() > deadline) {
                say("stuck " + bridge.queued());
                System.exit(4);
            }
            Thread.sleep(50);
        }
        say("done");
        bridge.close();
        System.exit(0);
    }

    /**
     * Writes what the store holds as JSON, from this (snapshotted) classpath: the test JVM's own jars may be
     * rebuilt under it by other work in the shared checkout.
     */
    static void verify(Path dir, Path out) throws Exception {
        java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir))) {
            List<java.util.Map<String, Object>> incidents = new ArrayList<>();
            for (Incident i : bridge.list(null, null)) {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("id", i.id());
                m.put("type", i.type().wireName());
                m.put("lat", i.place().lat());
                m.put("lon", i.place().lon());
                m.put("cameras", i.cameras());
                m.put("serviceRequestId", i.serviceRequestId());
                m.put("deliveryFailed", i.deliveryFailed());
                m.put("state", i.state().name());
                incidents.add(m);
            }
            result.put("incidents", incidents);
            result.put("outbox", bridge.outboxSize());
        }
        kz.ikomek.vision.bridge.store.Codec.JSON.writeValue(out.toFile(), result);
        System.exit(0);
    }

    /** Write-then-rename: a kill mid-write must not leave an empty progress file. */
    private static void remember(Path progress, int next) throws java.io.IOException {
        Path tmp = progress.resolveSibling(progress.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(next));
        Files.move(tmp, progress, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void say(String line) {
        System.out.println("CRASHCHILD " + line);
        System.out.flush();
    }
}

package kz.ikomek.vision.simulator;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kz.ikomek.vision.simulator.encode.LoopCache;
import kz.ikomek.vision.simulator.encode.LoopEncoder;
import kz.ikomek.vision.simulator.encode.VideoLoop;
import kz.ikomek.vision.simulator.rtsp.Credentials;
import kz.ikomek.vision.simulator.rtsp.RtspServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated street cameras over real RTSP: camera n is {@code rtsp://host:port/cam-n}.
 * <pre>{@code
 * try (RtspSimulator sim = RtspSimulator.start(SimulatorOptions.builder().cameras(5).port(0).build())) {
 *     String url = sim.url(3);                       // rtsp://127.0.0.1:40123/cam-3 (flood)
 *     sim.setFault(3, Fault.dropAfter(Duration.ofSeconds(5)));
 * }
 * }</pre>
 * Each distinct (scenario, street) pair is rendered and encoded once at start (or read from the
 * loop cache); all clients are then served from memory by one thread.
 */
public final class RtspSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtspSimulator.class);

    private final SimulatorOptions options;
    private final Map<Integer, CameraSpec> cameras;
    private final Map<Integer, Fault> faults = new ConcurrentHashMap<>();
    private volatile Fault faultForAll;
    private final RtspServer server;
    private final long loopBytes;

    private RtspSimulator(SimulatorOptions options, ServerSocketChannel socket, Map<Integer, CameraSpec> cameras,
                          Map<Integer, VideoLoop> feeds, long loopBytes) throws IOException {
        this.options = options;
        this.cameras = cameras;
        this.loopBytes = loopBytes;
        this.faults.putAll(options.faults);
        this.faultForAll = options.faultForAll;
        this.server = new RtspServer(socket, options.host, feeds, options.credentials, this::faultOf, options.fps,
                options.loopStartsOnPlay, options.leadIn);
    }

    /**
     * Binds the port, encodes (or loads) every needed loop, then serves.
     *
     * @throws kz.ikomek.vision.config.BadInputException when the port cannot be bound
     */
    public static RtspSimulator start(SimulatorOptions options) throws IOException {
        ServerSocketChannel socket = RtspServer.bind(options.host, options.port);
        try {
            return start(options, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static RtspSimulator start(SimulatorOptions options, ServerSocketChannel socket) throws IOException {
        Map<Integer, CameraSpec> cameras = new LinkedHashMap<>();
        Map<String, CameraSpec> distinct = new LinkedHashMap<>();
        for (int n = 1; n <= options.cameras; n++) {
            CameraSpec spec = options.camera(n);
            cameras.put(n, spec);
            distinct.putIfAbsent(key(spec), spec);
        }
        long t0 = System.nanoTime();
        Map<String, VideoLoop> loops = encodeAll(options, distinct);
        long bytes = loops.values().stream().mapToLong(VideoLoop::bytes).sum();
        log.info("{} scenario loops ready ({} MB, {}) in {} ms", loops.size(), bytes / (1024 * 1024),
                LoopEncoder.encoderName(), (System.nanoTime() - t0) / 1_000_000);
        Map<Integer, VideoLoop> feeds = new HashMap<>();
        cameras.forEach((n, spec) -> feeds.put(n, loops.get(key(spec))));
        return new RtspSimulator(options, socket, cameras, Map.copyOf(feeds), bytes);
    }

    private static String key(CameraSpec spec) {
        return spec.scenario().wireName() + "/" + spec.seed();
    }

    private static Map<String, VideoLoop> encodeAll(SimulatorOptions o, Map<String, CameraSpec> distinct) {
        LoopCache cache = o.cache ? (o.cacheDir != null ? new LoopCache(o.cacheDir) : LoopCache.defaultCache()) : null;
        int gop = o.fps * o.gopSeconds;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(o.encodeThreads, distinct.size()));
        try {
            Map<String, Future<VideoLoop>> futures = new LinkedHashMap<>();
            distinct.forEach((k, spec) -> futures.put(k, pool.submit(() -> cache != null
                    ? cache.load(spec.scenario(), spec.seed(), o.loopSeconds, o.fps, gop)
                    : LoopEncoder.encode(spec.scenario(), spec.seed(), o.loopSeconds, o.fps, gop))));
            Map<String, VideoLoop> out = new HashMap<>();
            for (var e : futures.entrySet()) {
                out.put(e.getKey(), e.getValue().get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding scenario loops", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("encoding a scenario loop failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Fault faultOf(int camera) {
        Fault f = faults.get(camera);
        return f != null ? f : faultForAll;
    }

    /** {@code rtsp://host:port/cam-n}, without credentials. */
    public String url(int camera) {
        spec(camera);
        return "rtsp://" + options.host + ":" + server.port() + "/cam-" + camera;
    }

    /** The URL with {@code user:password@} when the simulator requires credentials. */
    public String urlWithCredentials(int camera) {
        Credentials c = options.credentials;
        if (c == null) {
            return url(camera);
        }
        return "rtsp://" + c.user() + ":" + c.password() + "@" + options.host + ":" + server.port() + "/cam-" + camera;
    }

    public int port() {
        return server.port();
    }

    public int cameras() {
        return cameras.size();
    }

    public CameraSpec spec(int camera) {
        CameraSpec s = cameras.get(camera);
        if (s == null) {
            throw new IllegalArgumentException("camera " + camera + " is not in 1.." + cameras.size());
        }
        return s;
    }

    public List<CameraSpec> specs() {
        return new ArrayList<>(cameras.values());
    }

    /** Makes camera n misbehave from now on (for connections that start playing, and those playing). */
    public void setFault(int camera, Fault fault) {
        spec(camera);
        faults.put(camera, fault);
    }

    public void clearFault(int camera) {
        faults.remove(camera);
    }

    /** A fault for every camera without its own; null clears it. */
    public void setFaultForAll(Fault fault) {
        this.faultForAll = fault;
    }

    public RtspServer.Stats stats() {
        return server.stats();
    }

    /** Camera number → clients playing it now; a camera read by two workers at once shows 2. */
    public Map<Integer, Integer> playingByCamera() {
        return server.playingByCamera();
    }

    /** Memory held by the encoded loops, in bytes. */
    public long loopBytes() {
        return loopBytes;
    }

    @Override
    public void close() {
        server.close();
    }
}

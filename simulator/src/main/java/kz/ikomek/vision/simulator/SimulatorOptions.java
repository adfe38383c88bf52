package kz.ikomek.vision.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import kz.ikomek.vision.simulator.rtsp.Credentials;
import kz.ikomek.vision.simulator.scene.Scenario;

/**
 * How to run the camera simulator. Camera n shows, unless told otherwise, the scenarios in turn
 * (clear, snow, flood, open_manhole, dumping, clear, ...) on street (seed) n; with {@code variants}
 * V > 0 only the first 5·V cameras get their own street and later cameras reuse the street of
 * the camera 5·V before them (same scenario), which bounds the encoding done at startup.
 */
public final class SimulatorOptions {
    public static final int DEFAULT_PORT = 8554;

    final int cameras;
    final String host;
    final int port;
    final int fps;
    final int gopSeconds;
    final double loopSeconds;
    final int variants;
    final Map<Integer, Scenario> scenarios;
    final Map<Integer, Long> seeds;
    final Credentials credentials;
    final Map<Integer, Fault> faults;
    final Fault faultForAll;
    final Path cacheDir;
    final boolean cache;
    final int encodeThreads;
    final boolean loopStartsOnPlay;
    final Duration leadIn;

    private SimulatorOptions(Builder b) {
        this.cameras = b.cameras;
        this.host = b.host;
        this.port = b.port;
        this.fps = b.fps;
        this.gopSeconds = b.gopSeconds;
        this.loopSeconds = b.loopSeconds;
        this.variants = b.variants;
        this.scenarios = Map.copyOf(b.scenarios);
        this.seeds = Map.copyOf(b.seeds);
        this.credentials = b.credentials;
        this.faults = Map.copyOf(b.faults);
        this.faultForAll = b.faultForAll;
        this.cacheDir = b.cacheDir;
        this.cache = b.cache;
        this.encodeThreads = b.encodeThreads;
        this.loopStartsOnPlay = b.loopStartsOnPlay;
        this.leadIn = b.leadIn;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int cameras() {
        return cameras;
    }

    /** The scenario and street of camera n (1-based). */
    public CameraSpec camera(int n) {
        if (n < 1 || n > cameras) {
            throw new IllegalArgumentException("camera " + n + " is not in 1.." + cameras);
        }
        Scenario scenario = scenarios.getOrDefault(n, Scenario.values()[(n - 1) % Scenario.values().length]);
        Long seed = seeds.get(n);
        long street = seed != null ? seed : variants == 0 ? n : 1 + (n - 1) % (5L * variants);
        return new CameraSpec(n, scenario, street);
    }

    public static final class Builder {
        private int cameras = 5;
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private int fps = 5;
        private int gopSeconds = 2;
        private double loopSeconds = Scenario.LOOP_SECONDS;
        private boolean loopStartsOnPlay;
        private Duration leadIn = Duration.ZERO;
        private int variants = 2;
        private final Map<Integer, Scenario> scenarios = new HashMap<>();
        private final Map<Integer, Long> seeds = new HashMap<>();
        private Credentials credentials;
        private final Map<Integer, Fault> faults = new HashMap<>();
        private Fault faultForAll;
        private Path cacheDir;
        private boolean cache = true;
        private int encodeThreads = Runtime.getRuntime().availableProcessors();

        public Builder cameras(int n) {
            if (n < 1 || n > 100_000) {
                throw new IllegalArgumentException("cameras must be 1..100000, got " + n);
            }
            this.cameras = n;
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** TCP port; 0 picks a free one (tests). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        public Builder fps(int fps) {
            if (fps < 1 || fps > 30) {
                throw new IllegalArgumentException("fps must be 1..30, got " + fps);
            }
            this.fps = fps;
            return this;
        }

        /** Seconds between keyframes. */
        public Builder gopSeconds(int seconds) {
            if (seconds < 1 || seconds > 10) {
                throw new IllegalArgumentException("keyframe interval must be 1..10 s, got " + seconds);
            }
            this.gopSeconds = seconds;
            return this;
        }

        /**
         * Each client's loop starts at its own PLAY, at frame 0 (default: all clients share one loop clock that runs
         * from the start). The demo and the end-to-end benchmark use it so every camera sees its scenario from the
         * beginning: a detector that connects while the dumping truck already stands there learns the truck as part
         * of the street and cannot see it leave.
         */
        public Builder loopStartsOnPlay(boolean perClient) {
            this.loopStartsOnPlay = perClient;
            return this;
        }

        /**
         * With {@link #loopStartsOnPlay}: each client first sees the loop's first picture for this long (default 0),
         * then the loop. A detector needs a few looks of the empty street before the scenario starts (the dumping
         * tracker learns its background from its first three), and a client's first decoded sample can come seconds
         * after its PLAY.
         */
        public Builder leadIn(Duration leadIn) {
            if (leadIn.isNegative()) {
                throw new IllegalArgumentException("lead-in must not be negative: " + leadIn);
            }
            this.leadIn = leadIn;
            return this;
        }

        /** Length of each scenario loop; the scenario timelines assume the default 60 s. */
        public Builder loopSeconds(double seconds) {
            if (seconds < 2 || seconds > 600) {
                throw new IllegalArgumentException("loop must be 2..600 s, got " + seconds);
            }
            this.loopSeconds = seconds;
            return this;
        }

        /** Distinct streets per scenario; 0 = every camera its own street (one encode per camera). */
        public Builder variants(int variants) {
            if (variants < 0) {
                throw new IllegalArgumentException("variants must be >= 0, got " + variants);
            }
            this.variants = variants;
            return this;
        }

        public Builder camera(int n, Scenario scenario) {
            scenarios.put(n, Objects.requireNonNull(scenario, "scenario"));
            return this;
        }

        /** Camera n shows scenario on street seed; cameras with equal scenario and seed show the same picture. */
        public Builder camera(int n, Scenario scenario, long seed) {
            camera(n, scenario);
            seeds.put(n, seed);
            return this;
        }

        /** Require credentials (401 with these challenges otherwise). */
        public Builder credentials(String user, String password, Credentials.Scheme scheme) {
            this.credentials = new Credentials(user, password, scheme);
            return this;
        }

        public Builder fault(int camera, Fault fault) {
            faults.put(camera, Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /** A fault for every camera that has none of its own. */
        public Builder faultForAll(Fault fault) {
            this.faultForAll = fault;
            return this;
        }

        /** Where encoded loops are kept between runs (default ~/.cache/ikomek-vision/simulator). */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        public Builder cache(boolean cache) {
            this.cache = cache;
            return this;
        }

        public Builder encodeThreads(int threads) {
            this.encodeThreads = Math.max(1, threads);
            return this;
        }

        public SimulatorOptions build() {
            for (int n : scenarios.keySet()) {
                if (n < 1 || n > cameras) {
                    throw new IllegalArgumentException("camera " + n + " is assigned a scenario but only cameras 1.."
                            + cameras + " exist");
                }
            }
            return new SimulatorOptions(this);
        }
    }
}

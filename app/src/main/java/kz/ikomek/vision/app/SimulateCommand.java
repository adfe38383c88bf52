package kz.ikomek.vision.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.Durations;
import kz.ikomek.vision.simulator.CameraSpec;
import kz.ikomek.vision.simulator.Fault;
import kz.ikomek.vision.simulator.RtspSimulator;
import kz.ikomek.vision.simulator.ScenarioFile;
import kz.ikomek.vision.simulator.SimulatorOptions;
import kz.ikomek.vision.simulator.rtsp.Credentials;
import kz.ikomek.vision.simulator.scene.FrameDumper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Serve N synthetic street cameras over real RTSP (rtsp://HOST:PORT/cam-n), until Ctrl-C.",
            "Camera n shows clear, snow, flood, open_manhole, dumping in turn unless --scenarios says otherwise.",
            "Also: --dump-frames writes labelled still frames for training/eval; --contact-sheet one overview PNG."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--cameras", description = "number of cameras (1..100000)")
    Integer cameras;

    @Option(names = "--port", defaultValue = "8554", description = "TCP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--scenarios", description = "file of 'CAMERA SCENARIO [SEED]' lines (cam-7 flood 42)")
    Path scenarios;

    @Option(names = "--user", description = "require this user name (401 otherwise)")
    String user;

    @Option(names = "--password", description = "password for --user")
    String password;

    @Option(names = "--auth", defaultValue = "both", description = "offered schemes: basic, digest or both (default)")
    String auth;

    @Option(names = "--variants", defaultValue = "2",
            description = "distinct streets per scenario; 0 = every camera its own street (slower start)")
    int variants;

    @Option(names = "--loop-from-play", description = "start each client's scenario loop at its PLAY (default: one "
            + "loop clock for all, running from the start)")
    boolean loopFromPlay;

    @Option(names = "--lead-in", paramLabel = "SECONDS", description = "with --loop-from-play: show each client the "
            + "loop's first picture this long before its loop starts, so a detector learns the empty street first "
            + "(default: 0)")
    int leadInSeconds;

    @Option(names = "--no-cache", description = "always render and encode, ignore ~/.cache/ikomek-vision/simulator")
    boolean noCache;

    @Option(names = "--drop-after", description = "fault: reset the connection this long after PLAY (e.g. 10s)")
    String dropAfter;

    @Option(names = "--stall-after", description = "fault: stop sending video this long after PLAY, keep the socket")
    String stallAfter;

    @Option(names = "--garbage-after", description = "fault: send random bytes instead of RTP this long after PLAY")
    String garbageAfter;

    @Option(names = "--refuse", description = "fault: reset every connection that asks for a camera")
    boolean refuse;

    @Option(names = "--fault-cameras", split = ",", description = "cameras the fault applies to (default: all)")
    Set<Integer> faultCameras = new HashSet<>();

    @Option(names = "--dump-frames", description = "write labelled PNG frames to DIR/<label>/ and exit")
    Path dumpFrames;

    @Option(names = "--per-label", defaultValue = "150", description = "frames per label for --dump-frames")
    int perLabel;

    @Option(names = "--first-seed", defaultValue = "1", description = "first street seed for --dump-frames")
    long firstSeed;

    @Option(names = "--contact-sheet", description = "write a PNG grid of the five scenarios and exit")
    Path contactSheet;

    @Override
    public Integer call() throws Exception {
        if (dumpFrames != null) {
            if (perLabel < 1) {
                throw new BadInputException("--per-label must be at least 1, got " + perLabel);
            }
            int n = FrameDumper.dump(dumpFrames, perLabel, firstSeed, Runtime.getRuntime().availableProcessors());
            System.out.println("wrote " + n + " frames under " + dumpFrames);
            return 0;
        }
        if (contactSheet != null) {
            FrameDumper.contactSheet(contactSheet, firstSeed);
            System.out.println("wrote " + contactSheet);
            return 0;
        }
        SimulatorOptions options = options();
        RtspSimulator sim = RtspSimulator.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "simulate-shutdown"));
        for (CameraSpec c : sim.specs()) {
            System.out.println(sim.url(c.number()) + " " + c.scenario() + " street=" + c.seed());
        }
        System.out.flush();
        System.err.printf(Locale.ROOT, "ikomek-vision simulate: %d cameras on %s:%d, %d MB of encoded loops%s; Ctrl-C stops%n",
                sim.cameras(), host, sim.port(), sim.loopBytes() / (1024 * 1024),
                user != null ? ", credentials required" : "");
        stopped.await();
        return 0;
    }

    private SimulatorOptions options() {
        if (cameras == null) {
            throw new BadInputException("--cameras N is required (or --dump-frames DIR / --contact-sheet FILE)");
        }
        if (cameras < 1 || cameras > 100_000) {
            throw new BadInputException("--cameras must be 1..100000, got " + cameras);
        }
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port must be 0..65535, got " + port);
        }
        if (variants < 0) {
            throw new BadInputException("--variants must be 0 or more, got " + variants);
        }
        if (leadInSeconds < 0 || leadInSeconds > 3600) {
            throw new BadInputException("--lead-in must be 0..3600 seconds, got " + leadInSeconds);
        }
        if (leadInSeconds > 0 && !loopFromPlay) {
            throw new BadInputException("--lead-in needs --loop-from-play: with one loop clock for all there is no "
                    + "per-client start to lead into");
        }
        SimulatorOptions.Builder b = SimulatorOptions.builder().cameras(cameras).host(host).port(port)
                .variants(variants).cache(!noCache).loopStartsOnPlay(loopFromPlay)
                .leadIn(Duration.ofSeconds(leadInSeconds));
        if (scenarios != null) {
            ScenarioFile.apply(scenarios, cameras, b);
        }
        if ((user == null) != (password == null)) {
            throw new BadInputException("--user and --password go together");
        }
        if (user != null) {
            Credentials.Scheme scheme = switch (auth.toLowerCase(Locale.ROOT)) {
                case "basic" -> Credentials.Scheme.BASIC;
                case "digest" -> Credentials.Scheme.DIGEST;
                case "both" -> Credentials.Scheme.BOTH;
                default -> throw new BadInputException("--auth must be basic, digest or both, got '" + auth + "'");
            };
            b.credentials(user, password, scheme);
        }
        Fault fault = fault();
        if (fault != null) {
            if (faultCameras.isEmpty()) {
                b.faultForAll(fault);
            }
            for (int n : faultCameras) {
                if (n < 1 || n > cameras) {
                    throw new BadInputException("--fault-cameras: camera " + n + " is outside 1.." + cameras);
                }
                b.fault(n, fault);
            }
        } else if (!faultCameras.isEmpty()) {
            throw new BadInputException("--fault-cameras needs a fault: --drop-after, --stall-after, --garbage-after or --refuse");
        }
        return b.build();
    }

    private Fault fault() {
        int given = (dropAfter != null ? 1 : 0) + (stallAfter != null ? 1 : 0) + (garbageAfter != null ? 1 : 0)
                + (refuse ? 1 : 0);
        if (given > 1) {
            throw new BadInputException("choose one fault: --drop-after, --stall-after, --garbage-after or --refuse");
        }
        if (dropAfter != null) {
            return Fault.dropAfter(duration("--drop-after", dropAfter));
        }
        if (stallAfter != null) {
            return Fault.stallAfter(duration("--stall-after", stallAfter));
        }
        if (garbageAfter != null) {
            return Fault.garbageAfter(duration("--garbage-after", garbageAfter));
        }
        return refuse ? Fault.refuse() : null;
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": " + e.getMessage());
        }
    }
}

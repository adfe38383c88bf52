package kz.ikomek.vision.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import kz.ikomek.vision.app.standalone.ConfigMapping;
import kz.ikomek.vision.app.standalone.StandaloneNode;
import kz.ikomek.vision.bridge.casesystem.LocalCaseSystem;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.console.DemoUsers;
import kz.ikomek.vision.simulator.RtspSimulator;
import kz.ikomek.vision.simulator.SimulatorOptions;
import kz.ikomek.vision.simulator.scene.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole product on one machine: a dozen simulated cameras on Astana streets (real RTSP), the standalone
 * pipeline with its state in {@code ./data/demo}, a local case system, and the console. A second start resumes
 * from the same data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulated Astana cameras → detectors → incidents → console, no broker needed.")
public final class DemoCommand implements Callable<Integer> {

    /** Camera n of the demo city shows this (cameras 1 and 2 watch one flooded crossing). */
    static final Scenario[] SCENARIOS = {
        Scenario.FLOOD, Scenario.FLOOD, Scenario.SNOW, Scenario.OPEN_MANHOLE, Scenario.DUMPING, Scenario.CLEAR,
        Scenario.SNOW, Scenario.OPEN_MANHOLE, Scenario.DUMPING, Scenario.CLEAR, Scenario.FLOOD, Scenario.CLEAR,
    };

    /**
     * The street camera n renders (the simulator's seed: layout, lighting, traffic): street n, except for the two
     * dumping cameras. The vehicle in a dumping event must be one the COCO detector sees, and it does not see the
     * rendered tipper on the night street 5 nor on street 9 (`RenderedTruckTest`, models/README.md): cameras 5 and 9
     * show daylight streets 14 and 27, where it finds the truck and the event is raised.
     */
    static long street(int n) {
        return switch (n) {
            case 5 -> 14;
            case 9 -> 27;
            default -> n;
        };
    }

    static final String CASE_SYSTEM_KEY = "demo-key";
    /** Each camera shows its empty street this long before its scenario starts. */
    static final Duration DEMO_LEAD_IN = Duration.ofSeconds(5);

    @Option(names = "--dir", defaultValue = "data/demo", description = "state directory (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--port", defaultValue = "8080", description = "console port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--rtsp-port", defaultValue = "0", description = "simulator port (default: any free port)")
    int rtspPort;

    @Mixin
    ModelsOption models = new ModelsOption();

    @Override
    public Integer call() throws Exception {
        DemoUsers users = DemoUsers.create("storm-drain");   // a bad IKOMEK_DEMO_PASSWORD stops us before anything starts
        Files.createDirectories(dir);
        System.out.println("ikomek-vision demo: preparing 12 simulated cameras (the first start renders and encodes"
                + " their video, about a minute; later starts reuse ~/.cache/ikomek-vision)...");
        System.out.flush();
        try (Shutdown shutdown = Shutdown.install();
             RtspSimulator cameras = RtspSimulator.start(simulatorOptions());
             LocalCaseSystem caseSystem = new LocalCaseSystem(0, CASE_SYSTEM_KEY)) {
            VisionConfig config = demoConfig(cameras, caseSystem);
            try (StandaloneNode node = StandaloneNode.start(config, users.users())) {
                printWelcome(config, node, users, cameras);
                shutdown.await();
                System.out.println("ikomek-vision demo: stopping; state kept in " + dir.toAbsolutePath());
            }
        }
        return 0;
    }

    private SimulatorOptions simulatorOptions() {
        SimulatorOptions.Builder b = SimulatorOptions.builder().cameras(SCENARIOS.length).port(rtspPort)
                .loopStartsOnPlay(true)    // the dumping cameras must see the truck arrive, not find it parked,
                .leadIn(DEMO_LEAD_IN);     // after a few looks of the empty street (a first sample can come ~3 s late)
        for (int n = 1; n <= SCENARIOS.length; n++) {
            b.camera(n, SCENARIOS[n - 1], street(n));
        }
        return b.build();
    }

    VisionConfig demoConfig(RtspSimulator cameras, LocalCaseSystem caseSystem) throws IOException {
        String rtsp = cameras.url(1).substring(0, cameras.url(1).lastIndexOf('/'));
        String yaml = demoYaml(rtsp, caseSystem.endpoint().toString(), dir.toAbsolutePath(), port);
        if (models.dir != null) {
            yaml += "\nmodels: { dir: \"" + models.dir.toAbsolutePath() + "\" }\n";
        }
        return ConfigLoader.loadYaml(yaml, dir.toAbsolutePath());
    }

    /**
     * The score thresholds the demo site overrides for the simulator's rendered streets (the model cards' were chosen
     * on real photos; see the demo configuration's comments): what `bench e2e`, which runs the same streets, uses too.
     */
    public static Map<IncidentType, Double> renderedStreetThresholds() throws IOException {
        return ConfigMapping.thresholdOverrides(offlineConfig(Path.of("data", "demo").toAbsolutePath()));
    }

    /**
     * The demo city's configuration for scoring its rendered streets without running it: addresses nothing listens
     * on, {@code storage} named by the config but never written by a caller that only reads the cameras, zones,
     * detector settings and thresholds.
     */
    static VisionConfig offlineConfig(Path storage) throws IOException {
        return ConfigLoader.loadYaml(demoYaml("rtsp://127.0.0.1:1", "http://127.0.0.1:1/open311/", storage, 8080),
                storage);
    }

    /** The demo city's configuration with the addresses of this run's simulator and case system filled in. */
    static String demoYaml(String rtspBase, String caseSystemEndpoint, Path storage, int consolePort) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/astana-demo.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@RTSP@", rtspBase)
                    .replace("@CASE_SYSTEM@", caseSystemEndpoint)
                    .replace("@STORAGE@", storage.toString())
                    .replace("@CONSOLE_PORT@", Integer.toString(consolePort));
        }
    }

    private static void printWelcome(VisionConfig config, StandaloneNode node, DemoUsers users, RtspSimulator sim) {
        System.out.println();
        System.out.println("ikomek-vision demo");
        System.out.printf(Locale.ROOT, "  console:  http://%s:%d/%n", config.console().host(), node.consolePort());
        System.out.println("  users:    operator, police, utility (storm-drain), admin");
        System.out.println("  password: " + (users.generated()
                ? users.password() + "   (random; set " + DemoUsers.PASSWORD_ENV + " to choose one)"
                : "from $" + DemoUsers.PASSWORD_ENV));
        System.out.println("  cameras:");
        for (int n = 1; n <= sim.cameras(); n++) {
            var camera = config.cameras().get(n - 1);
            System.out.printf(Locale.ROOT, "    %-7s %-13s %s  (%s)%n", camera.id(), sim.spec(n).scenario(),
                    camera.location().address(), sim.url(n));
        }
        System.out.println("  Incidents appear within about a minute. Ctrl-C stops; a second start resumes.");
        System.out.println();
        System.out.flush();
    }
}

package kz.ikomek.vision.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import kz.ikomek.vision.app.standalone.ConfigMapping;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.pipeline.DetectionPipeline;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.ingest.FrameSample;
import kz.ikomek.vision.simulator.scene.Scenario;
import kz.ikomek.vision.simulator.scene.StreetScene;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's twelve streets, rendered by the simulator, through the real model and the demo's detector settings for
 * ten minutes of their own time (one look a second, the demo's dumping cadence; the other zones at their cadences):
 * each snow, flood or open-manhole scenario gives exactly one candidate of its own type, the clear streets none, no
 * street a candidate of another type. A dumping scenario is a new dumping every minute (the loop's restart takes the
 * heap away and the next truck brings one): it gives at least one dumping candidate and never two for one truck.
 * Three streets are known misses of the shipped models at their cards' thresholds and are pinned, so that a change
 * either way shows up here: cam-08 (an open manhole at night, which ikomek-incidents scores 0.21-0.72 against its
 * 0.74; ikomek-city's flood head, median 0.32, stays under its 0.89 there too), cam-02 and cam-11 (rendered daylight
 * floods, which ikomek-city's flood head, trained mostly on real street floods, scores around 0.43 and 0.28). The
 * demo's flood incident comes from cam-01 (its dusk flood, median 0.91), on the same crossing as cam-02.
 */
@Tag("integration")
class DemoScenariosIT {

    static final Set<String> KNOWN_MISSES = Set.of("cam-02", "cam-08", "cam-11");
    static final Instant T0 = Instant.parse("2026-01-20T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void each_demo_scenario_raises_one_candidate_of_its_type_and_the_clear_streets_none_in_ten_minutes() throws Exception {
        VisionConfig config = DemoCommand.offlineConfig(dir);
        List<Candidate> raised = new CopyOnWriteArrayList<>();
        List<StreetScene> scenes = new ArrayList<>();
        try (SceneScorer scorer = SceneScorer.loadDefault().overrideThresholds(ConfigMapping.thresholdOverrides(config));
             DetectionPipeline pipeline = DetectionPipeline.builder(scorer, raised::add)
                     .sites(config.cameras().stream().map(ConfigMapping::cameraSite).toList())
                     .schedules(ConfigMapping.schedules(config))
                     .policies(ConfigMapping.trackerPolicies(config))
                     .build()) {
            for (int n = 1; n <= DemoCommand.SCENARIOS.length; n++) {
                scenes.add(new StreetScene(DemoCommand.SCENARIOS[n - 1], DemoCommand.street(n)));   // as the demo does
            }
            for (int s = 0; s < 600; s++) {
                List<FrameSample> samples = new ArrayList<>();
                for (int n = 1; n <= scenes.size(); n++) {
                    samples.add(new FrameSample(config.cameras().get(n - 1).id(), T0.plusSeconds(s),
                            scenes.get(n - 1).render(s % Scenario.LOOP_SECONDS).clone(), Set.of()));
                }
                pipeline.process(samples);
            }
        } finally {
            scenes.forEach(StreetScene::close);
        }
        Map<String, List<String>> byCamera = new TreeMap<>();
        Map<String, List<Long>> loopsByCamera = new TreeMap<>();
        for (Candidate c : raised) {
            byCamera.computeIfAbsent(c.cameraId(), k -> new ArrayList<>()).add(c.type().wireName());
            loopsByCamera.computeIfAbsent(c.cameraId(), k -> new ArrayList<>())
                    .add((c.firstSeen().getEpochSecond() - T0.getEpochSecond()) / (long) Scenario.LOOP_SECONDS);
        }
        for (int n = 1; n <= DemoCommand.SCENARIOS.length; n++) {
            String camera = config.cameras().get(n - 1).id();
            Scenario scenario = DemoCommand.SCENARIOS[n - 1];
            List<String> got = byCamera.getOrDefault(camera, List.of());
            if (scenario == Scenario.CLEAR || KNOWN_MISSES.contains(camera)) {
                assertThat(got).as(camera + " " + scenario.wireName() + ", all: " + byCamera).isEmpty();
            } else if (scenario == Scenario.DUMPING) {
                assertThat(got).as(camera + ", all: " + byCamera).isNotEmpty().containsOnly(scenario.wireName());
                assertThat(loopsByCamera.get(camera)).as(camera + ": the loop each truck came in").doesNotHaveDuplicates();
            } else {
                assertThat(got).as(camera + " " + scenario.wireName() + ", all: " + byCamera)
                        .containsExactly(scenario.wireName());
            }
        }
    }
}

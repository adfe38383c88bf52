package kz.ikomek.vision.detectors.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.Observation;
import kz.ikomek.vision.detectors.StreetFrames;
import kz.ikomek.vision.detectors.TestModels;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.schedule.DetectorSchedule;
import kz.ikomek.vision.detectors.track.DumpingPolicy;
import kz.ikomek.vision.detectors.track.TrackerPolicy;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.ingest.FrameSample;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several cameras through the whole pipeline with the real (test) ONNX model; times are the samples' own. */
class DetectionPipelineTest {

    static final Instant T0 = Instant.parse("2026-01-20T09:00:00Z");   // January: snow season
    static final Scalar WHITE = new Scalar(250, 250, 250, 0);
    static final Scalar GREY = new Scalar(120, 120, 120, 0);
    static final Scalar BLACK = new Scalar(5, 5, 5, 0);
    static final Set<IncidentType> STANDING = EnumSet.of(IncidentType.SNOW, IncidentType.FLOOD, IncidentType.OPEN_MANHOLE);

    static SceneScorer scorer;

    @BeforeAll
    static void load() {
        // tiny scores the types; tinyvehicles (kind detections) answers the dumping tracker's vehicle check
        scorer = SceneScorer.of(ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> List.of("tiny", "tinyvehicles").contains(m.card().name())).toList(),
                new InferenceSettings(1, 32, Duration.ofMillis(20)));
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    static CameraSite site(String id, Set<IncidentType> types) {
        return new CameraSite(id, new GeoPoint(51.1, 71.4), id + " street",
                List.of(Zone.rectangle("road", 0, 0, 1, 1, types)));
    }

    final List<Candidate> raised = new CopyOnWriteArrayList<>();
    final List<FrameSample> handedIn = new ArrayList<>();

    DetectionPipeline pipeline(List<CameraSite> sites) {
        // demo cadences and trackers: every look is due at the 5 s sampling of this test
        return DetectionPipeline.builder(scorer, raised::add).sites(sites)
                .schedules(Map.of(IncidentType.SNOW, new DetectorSchedule(Duration.ofSeconds(5), Set.of(10, 11, 12, 1, 2, 3)),
                        IncidentType.FLOOD, new DetectorSchedule(Duration.ofSeconds(5), Set.of()),
                        IncidentType.OPEN_MANHOLE, new DetectorSchedule(Duration.ofSeconds(5), Set.of())))
                .policies(Map.of(IncidentType.SNOW, new TrackerPolicy(3, 4, Duration.ofSeconds(10), Duration.ofMinutes(30)),
                        IncidentType.FLOOD, new TrackerPolicy(4, 5, Duration.ofSeconds(10), Duration.ofMinutes(10)),
                        IncidentType.OPEN_MANHOLE, new TrackerPolicy(4, 5, Duration.ofSeconds(10), Duration.ofMinutes(2))))
                .build();
    }

    FrameSample sample(String camera, Instant at, Mat image) {
        FrameSample s = new FrameSample(camera, at, image, Set.of());
        handedIn.add(s);
        return s;
    }

    @Test
    void snow_on_one_camera_among_quiet_and_flickering_ones_raises_one_candidate_within_a_minute() {
        StreetFrames frames = new StreetFrames(3);
        try (DetectionPipeline p = pipeline(List.of(site("cam-snow", STANDING), site("cam-clear", STANDING),
                site("cam-flicker", STANDING)))) {
            for (int i = 0; i < 24; i++) {           // two minutes at one sample per 5 s per camera
                Instant at = T0.plusSeconds(5L * i);
                p.process(List.of(
                        sample("cam-snow", at, frames.solid(WHITE)),
                        sample("cam-clear", at, frames.solid(GREY)),
                        sample("cam-flicker", at, frames.solid(i % 2 == 0 ? WHITE : GREY))));
            }
            assertThat(raised).singleElement().satisfies(c -> {
                assertThat(c.cameraId()).isEqualTo("cam-snow");
                assertThat(c.type()).isEqualTo(IncidentType.SNOW);
                assertThat(c.firstSeen()).isEqualTo(T0);
                assertThat(c.evidence()).extracting(Evidence::role).containsExactly("frame");
                assertThat(c.evidence().get(0).jpeg().length).isBetween(1_000, 80_000);
            });
            assertThat(p.stats().samples()).isEqualTo(72);
            assertThat(p.stats().classifierLooks()).isEqualTo(72 * 3);
        }
        assertThat(handedIn).allSatisfy(s -> assertThat(s.image().isNull()).as("sample closed").isTrue());
    }

    @Test
    void snow_out_of_season_is_not_looked_at() {
        StreetFrames frames = new StreetFrames(4);
        Instant july = Instant.parse("2026-07-10T09:00:00Z");
        try (DetectionPipeline p = pipeline(List.of(site("cam-1", EnumSet.of(IncidentType.SNOW))))) {
            for (int i = 0; i < 10; i++) {
                p.process(List.of(sample("cam-1", july.plusSeconds(5L * i), frames.solid(WHITE))));
            }
            assertThat(p.stats().classifierLooks()).isZero();
            assertThat(raised).isEmpty();
        }
    }

    @Test
    void a_detector_looks_no_more_often_than_its_cadence() {
        StreetFrames frames = new StreetFrames(5);
        try (DetectionPipeline p = DetectionPipeline.builder(scorer, raised::add)
                .sites(List.of(site("cam-1", STANDING))).build()) {        // default cadences: 5 m, 30 s, 5 s
            for (int i = 0; i <= 50; i++) {                                 // 50 s of 1 fps samples
                p.process(List.of(sample("cam-1", T0.plusSeconds(i), frames.solid(GREY))));
            }
            // snow once (5 min); flood at 0 s and 27 s (a look may come 10 % early); manholes at 0, 5, ... 50 s
            assertThat(p.stats().classifierLooks()).isEqualTo(1 + 2 + 11);
        }
    }

    @Test
    void a_positive_is_confirmed_on_every_sample_and_then_the_zone_goes_back_to_its_cadence() {
        StreetFrames frames = new StreetFrames(7);
        CameraSite site = site("cam-1", EnumSet.of(IncidentType.OPEN_MANHOLE));
        try (DetectionPipeline p = DetectionPipeline.builder(scorer, raised::add).sites(List.of(site))
                .schedules(Map.of(IncidentType.OPEN_MANHOLE, new DetectorSchedule(Duration.ofMinutes(1), Set.of())))
                .policies(Map.of(IncidentType.OPEN_MANHOLE,
                        new TrackerPolicy(4, 5, Duration.ofSeconds(8), Duration.ofMinutes(2))))
                .build()) {
            // A 1-minute cadence with samples every 2 s: the first look (t = 0) is positive, so every sample
            // after it is looked at and the condition raises after 8 s, not after 3 more minutes.
            for (int i = 0; i <= 10; i++) {
                p.process(List.of(sample("cam-1", T0.plusSeconds(2L * i), frames.solid(BLACK))));
            }
            assertThat(raised).singleElement().satisfies(c -> {
                assertThat(c.type()).isEqualTo(IncidentType.OPEN_MANHOLE);
                assertThat(c.firstSeen()).isEqualTo(T0);
                assertThat(c.lastSeen()).isEqualTo(T0.plusSeconds(8));
            });
            long looks = p.stats().classifierLooks();
            // Raised: the next looks are at the cadence again (one in the next minute of samples).
            for (int i = 11; i <= 40; i++) {
                p.process(List.of(sample("cam-1", T0.plusSeconds(2L * i), frames.solid(BLACK))));
            }
            assertThat(p.stats().classifierLooks() - looks).isEqualTo(1);
            assertThat(p.stats().confirmingLooks()).isEqualTo(4);
        }
    }

    @Test
    void the_first_positive_of_a_run_asks_once_for_the_zone_to_be_hurried_for_min_duration_and_a_margin() {
        StreetFrames frames = new StreetFrames(10);
        List<DetectionPipeline.Confirming> hurries = new CopyOnWriteArrayList<>();
        CameraSite site = site("cam-1", EnumSet.of(IncidentType.OPEN_MANHOLE));
        // default manhole cadence (5 s) and policy (4 of 5, 8 s): 3 more looks at the cadence would take 15 s
        try (DetectionPipeline p = DetectionPipeline.builder(scorer, raised::add).sites(List.of(site))
                .onConfirming(hurries::add).build()) {
            p.process(List.of(sample("cam-1", T0, frames.solid(GREY))));
            p.process(List.of(sample("cam-1", T0.plusSeconds(5), frames.solid(GREY))));
            assertThat(hurries).isEmpty();
            p.process(List.of(sample("cam-1", T0.plusSeconds(10), frames.solid(BLACK))));
            assertThat(hurries).containsExactly(new DetectionPipeline.Confirming("cam-1", "road",
                    IncidentType.OPEN_MANHOLE, Duration.ofSeconds(8).plus(DetectionPipeline.CONFIRMING_MARGIN)));
            // the hurried samples (every 2 s) confirm it in 8 s; neither they nor the looks after the raise ask again
            for (int i = 6; i <= 20; i++) {
                p.process(List.of(sample("cam-1", T0.plusSeconds(2L * i), frames.solid(BLACK))));
            }
            assertThat(raised).singleElement().satisfies(c -> {
                assertThat(c.firstSeen()).isEqualTo(T0.plusSeconds(10));
                assertThat(c.lastSeen()).isEqualTo(T0.plusSeconds(18));
            });
            assertThat(hurries).hasSize(1);
        }
    }

    @Test
    void a_zone_sampled_far_more_often_than_it_needs_to_confirm_is_neither_hurried_nor_protected() {
        StreetFrames frames = new StreetFrames(11);
        List<DetectionPipeline.Confirming> hurries = new CopyOnWriteArrayList<>();
        // snow (3 of 4 in 5 min) shares the zone with manholes, so the zone is sampled every 5 s anyway
        CameraSite site = site("cam-1", EnumSet.of(IncidentType.SNOW, IncidentType.OPEN_MANHOLE));
        try (DetectionPipeline p = DetectionPipeline.builder(scorer, raised::add).sites(List.of(site))
                .onConfirming(hurries::add).build()) {
            for (int i = 0; i < 4; i++) {
                p.process(List.of(sample("cam-1", T0.plusSeconds(5L * i), frames.solid(WHITE))));
            }
            assertThat(p.stats().confirmingLooks()).as("snow is confirming").isPositive();
            // neither hurried nor protected: 3 looks at its cadence take 10 s of the 5 minutes, so it can lose some
            assertThat(hurries).isEmpty();
        }
    }

    @Test
    void a_dumping_truck_seen_through_the_pipeline_raises_one_dumping_candidate() {
        StreetFrames frames = new StreetFrames(6);
        Zone lot = Zone.rectangle("lot", 0.0, 0.4, 1.0, 1.0, EnumSet.of(IncidentType.DUMPING));
        CameraSite site = new CameraSite("cam-d", new GeoPoint(51.1, 71.4), "Turan Ave 12", List.of(lot));
        // The tiny model judges a region's mean colour: with less road around the heap, red still dominates.
        try (DetectionPipeline p = DetectionPipeline.builder(scorer, raised::add).sites(List.of(site))
                .dumping(DumpingPolicy.defaults().withPileContext(0.2)).build()) {
            int[] truck = {-1, -1, -1, -1, -1, 0, 60};
            List<Integer> xs = new ArrayList<>();
            for (int x : truck) {
                xs.add(x);
            }
            for (int i = 0; i < 40; i++) {
                xs.add(120);                        // 80 s parked
            }
            xs.add(200);
            int look = 0;
            for (int x : xs) {
                p.process(List.of(sample("cam-d", T0.plusSeconds(2L * look++), frames.street(x, null))));
            }
            for (int i = 0; i < 20; i++) {
                p.process(List.of(sample("cam-d", T0.plusSeconds(2L * look++), frames.street(-1, StreetFrames.RED_PILE))));
            }
            assertThat(raised).singleElement().satisfies(c -> {
                assertThat(c.type()).isEqualTo(IncidentType.DUMPING);
                assertThat(c.evidence()).extracting(Evidence::role).containsExactly("before", "during", "after", "vehicle");
                assertThat(c.evidence().get(3).detail()).isEqualTo("truck 0.90");
            });
            assertThat(p.stats().vehicleChecks()).as("the detector, once: where the truck stopped").isEqualTo(1);
        }
    }

    @Test
    void workers_pull_batches_across_cameras_and_close_every_sample() throws Exception {
        StreetFrames frames = new StreetFrames(8);
        List<CameraSite> sites = new ArrayList<>();
        LinkedBlockingQueue<FrameSample> ready = new LinkedBlockingQueue<>();
        for (int c = 0; c < 12; c++) {
            sites.add(site("cam-" + c, EnumSet.of(IncidentType.OPEN_MANHOLE)));
        }
        // its own scorer, so the batch sizes counted are this test's alone
        try (SceneScorer own = SceneScorer.of(ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> m.card().name().equals("tiny")).toList(), new InferenceSettings(1, 32, Duration.ofMillis(50)));
             DetectionPipeline p = DetectionPipeline.builder(own, raised::add).sites(sites).workers(2, 8).build()) {
            p.start((max, wait) -> {
                List<FrameSample> batch = new ArrayList<>();
                FrameSample first = ready.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    ready.drainTo(batch, max - 1);
                }
                return batch;
            });
            for (int i = 0; i < 8; i++) {
                for (int c = 0; c < 12; c++) {     // cam-0 looks at a dark hole, the others at a grey road
                    ready.add(sample("cam-" + c, T0.plusSeconds(5L * i), frames.solid(c == 0 ? new Scalar(5, 5, 5, 0) : GREY)));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (p.stats().samples() < 96 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(p.stats().samples()).isEqualTo(96);
            // 12 cameras' crops, pulled up to 8 samples at a time by 2 workers, share model calls
            assertThat(own.batcherFor(IncidentType.OPEN_MANHOLE).meanBatchSize()).isGreaterThan(1.5);
        }
        assertThat(raised).singleElement().satisfies(c -> assertThat(c.cameraId()).isEqualTo("cam-0"));
        assertThat(handedIn).allSatisfy(s -> assertThat(s.image().isNull()).isTrue());
    }

    @Test
    void the_detector_contract_scores_every_due_zone_that_reads_its_type() throws Exception {
        StreetFrames frames = new StreetFrames(9);
        CameraSite site = new CameraSite("cam-z", new GeoPoint(51.1, 71.4), "x", List.of(
                Zone.rectangle("sky", 0, 0, 1, 0.3, EnumSet.of(IncidentType.SNOW)),
                Zone.rectangle("road", 0, 0.3, 1, 1, EnumSet.of(IncidentType.SNOW, IncidentType.FLOOD))));
        ModelDetector snow = new ModelDetector(IncidentType.SNOW, scorer, id -> id.equals("cam-z") ? site : null);
        try (FrameSample s = new FrameSample("cam-z", T0, frames.solid(WHITE), Set.of("road"))) {
            List<Observation> obs = snow.detect(List.of(s));
            assertThat(obs).singleElement().satisfies(o -> {
                assertThat(o.zoneId()).isEqualTo("road");
                assertThat(o.positive()).isTrue();
                assertThat(o.at()).isEqualTo(T0);
            });
        }
    }

    @Test
    void a_zone_whose_cadence_just_suffices_to_confirm_is_protected_not_hurried() {
        StreetFrames frames = new StreetFrames(12);
        List<DetectionPipeline.Confirming> asked = new CopyOnWriteArrayList<>();
        CameraSite site = site("cam-1", EnumSet.of(IncidentType.OPEN_MANHOLE));
        // 4 of 5 within 20 s at a 5 s cadence: 15 s of looks, no time to lose any
        try (DetectionPipeline p = DetectionPipeline.builder(scorer, raised::add).sites(List.of(site))
                .policies(Map.of(IncidentType.OPEN_MANHOLE, new TrackerPolicy(4, 5, Duration.ofSeconds(20), Duration.ofMinutes(2))))
                .onConfirming(asked::add).build()) {
            p.process(List.of(sample("cam-1", T0, frames.solid(BLACK))));
            assertThat(asked).containsExactly(new DetectionPipeline.Confirming("cam-1", "road", IncidentType.OPEN_MANHOLE,
                    Duration.ofSeconds(20).plus(DetectionPipeline.CONFIRMING_MARGIN), false));
        }
    }
}

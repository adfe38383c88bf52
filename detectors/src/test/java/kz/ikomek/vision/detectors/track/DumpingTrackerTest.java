package kz.ikomek.vision.detectors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.StreetFrames;
import kz.ikomek.vision.detectors.TestModels;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.objects.Detection;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recorded sequences drawn with OpenCV: a textured grey street, camera noise on every frame, a truck (a large dark
 * box with a cab) and what it may leave. One look every 2 s, the dumping cadence. The left-behind object is judged
 * by the real ONNX test model (tiny: "dumping" = a red-dominant region), through the production SceneScorer. The
 * vehicle check answers what the frame shows (a truck where one is drawn, unless the test says the detector sees
 * none) and counts its calls: these tests are about when the tracker asks and what it does with the answer; the
 * COCO detector on rendered trucks has its own test in models.
 */
class DumpingTrackerTest {

    static final Instant T0 = Instant.parse("2026-05-10T10:00:00Z");
    static final Zone NO_DUMPING = Zone.rectangle("lot", 0.0, 0.4, 1.0, 1.0, EnumSet.of(IncidentType.DUMPING));
    static final CameraSite SITE = new CameraSite("cam-7", new GeoPoint(51.1, 71.4), "Turan Ave 12",
            List.of(NO_DUMPING));
    static final Scalar RED_PILE = StreetFrames.RED_PILE;
    static final Scalar BLUE_BOX = StreetFrames.BLUE_BOX;

    /** The tiny model judges a region's mean colour: with less road around the heap, red still dominates. */
    static final DumpingPolicy TINY_MODEL_POLICY = DumpingPolicy.defaults().withPileContext(0.2);

    static SceneScorer scorer;

    final StreetFrames frames = new StreetFrames(7);
    final List<Candidate> raised = new ArrayList<>();
    int look;
    int truckShown = -1;
    boolean detectorSeesTrucks = true;
    /** When set (a look's number), the detector sees the truck only in the picture of that look. */
    int detectorSeesOnlyLook = -1;
    int vehicleChecks;

    @BeforeAll
    static void load() {
        scorer = SceneScorer.of(ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> m.card().name().equals("tiny")).toList(), new InferenceSettings(1, 8, Duration.ZERO));
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    DumpingTracker tracker() {
        return tracker(TINY_MODEL_POLICY);
    }

    DumpingTracker tracker(DumpingPolicy policy) {
        return new DumpingTracker(SITE, NO_DUMPING, policy,
                (bgr, region) -> scorer.scoreRegion(bgr, region, IncidentType.DUMPING), this::vehicles);
    }

    List<Detection> vehicles(Mat bgr, Box region) {
        vehicleChecks++;
        if (detectorSeesOnlyLook >= 0 && !marked(bgr)) {
            return List.of();
        }
        return truckShown < 0 || !detectorSeesTrucks ? List.of()
                : List.of(new Detection("truck", 0.62, StreetFrames.truckBox(truckShown)),
                        new Detection("car", 0.31, StreetFrames.truckBox(truckShown)));
    }

    void show(DumpingTracker t, int truckX, Scalar pile, int looks) throws Exception {
        for (int i = 0; i < looks; i++) {
            truckShown = truckX;
            try (Mat m = frames.street(truckX, pile)) {
                if (look == detectorSeesOnlyLook) {
                    mark(m);
                }
                t.observe(T0.plusSeconds(2L * look++), m).ifPresent(raised::add);
            }
        }
    }

    /** A corner pixel (outside the zone) that tells the test's detector which picture it is given. */
    static void mark(Mat m) {
        try (UByteIndexer px = m.createIndexer()) {
            px.put(0, 0, 0, 7);
            px.put(0, 0, 1, 77);
            px.put(0, 0, 2, 177);
        }
    }

    static boolean marked(Mat m) {
        try (UByteIndexer px = m.createIndexer()) {
            return px.get(0, 0, 0) == 7 && px.get(0, 0, 1) == 77 && px.get(0, 0, 2) == 177;
        }
    }

    void arriveParkLeave(DumpingTracker t, Duration parked, Scalar left) throws Exception {
        show(t, -1, null, 5);                            // a quiet street
        show(t, 0, null, 1);                             // the truck drives in...
        show(t, 60, null, 1);
        show(t, 120, null, (int) (parked.toSeconds() / 2));   // ...and stands
        show(t, 200, left, 1);                           // drives off
        show(t, -1, left, 10);
    }

    @Test
    void a_stopped_truck_is_asked_about_even_when_the_vehicle_check_budget_is_spent() throws Exception {
        VehicleCheckBudget spent = new VehicleCheckBudget(1, 1, () -> 0L);
        spent.take(false);
        try (DumpingTracker t = new DumpingTracker(SITE, NO_DUMPING, TINY_MODEL_POLICY,
                (bgr, region) -> scorer.scoreRegion(bgr, region, IncidentType.DUMPING), this::vehicles, spent)) {
            arriveParkLeave(t, Duration.ofSeconds(60), RED_PILE);
            assertThat(raised).hasSize(1);
            assertThat(vehicleChecks).isEqualTo(1);
        }
    }

    @Test
    void retries_wait_for_the_budget_and_are_not_counted_as_tries_meanwhile() throws Exception {
        detectorSeesTrucks = false;
        VehicleCheckBudget spent = new VehicleCheckBudget(1, 1, () -> 0L);
        spent.take(false);
        try (DumpingTracker t = new DumpingTracker(SITE, NO_DUMPING, TINY_MODEL_POLICY,
                (bgr, region) -> scorer.scoreRegion(bgr, region, IncidentType.DUMPING), this::vehicles, spent)) {
            show(t, -1, null, 5);
            show(t, 0, null, 1);
            show(t, 60, null, 1);
            show(t, 120, null, 10);          // stands 20 s: the first try was free, the two retries are put off
            assertThat(vehicleChecks).isEqualTo(1);
            assertThat(spent.refused()).isPositive();
            assertThat(t.state()).as("not yet judged: no vehicle, but not all its tries spent")
                    .isEqualTo(DumpingTracker.State.VEHICLE);
        }
    }

    @Test
    void a_truck_that_passes_by_is_no_incident() throws Exception {
        try (DumpingTracker t = tracker()) {
            show(t, -1, null, 5);
            for (int x = -100; x < StreetFrames.W; x += 90) {         // 4 looks: 8 s crossing the zone
                show(t, Math.max(0, x), null, 1);
            }
            show(t, -1, null, 20);
            assertThat(raised).isEmpty();
            assertThat(t.state()).isEqualTo(DumpingTracker.State.IDLE);
        }
    }

    @Test
    void a_truck_that_parks_and_leaves_nothing_is_no_incident() throws Exception {
        try (DumpingTracker t = tracker()) {
            arriveParkLeave(t, Duration.ofSeconds(90), null);
            assertThat(raised).isEmpty();
            assertThat(t.state()).isEqualTo(DumpingTracker.State.IDLE);
        }
    }

    @Test
    void an_object_the_dumping_classifier_rejects_is_no_incident() throws Exception {
        try (DumpingTracker t = tracker()) {
            arriveParkLeave(t, Duration.ofSeconds(90), BLUE_BOX);   // something stayed, but not waste
            show(t, -1, BLUE_BOX, 20);
            assertThat(raised).isEmpty();
        }
    }

    @Test
    void a_truck_that_leaves_a_pile_raises_exactly_one_candidate_with_four_pictures() throws Exception {
        try (DumpingTracker t = tracker()) {
            arriveParkLeave(t, Duration.ofSeconds(90), RED_PILE);
            show(t, -1, RED_PILE, 30);                   // the pile stays: still one event
            assertThat(raised).hasSize(1);
            Candidate c = raised.get(0);
            assertThat(c.type()).isEqualTo(IncidentType.DUMPING);
            assertThat(c.cameraId()).isEqualTo("cam-7");
            assertThat(c.zoneId()).isEqualTo("lot");
            assertThat(c.address()).isEqualTo("Turan Ave 12");
            assertThat(c.firstSeen()).isEqualTo(T0.plusSeconds(10));     // the truck's arrival
            assertThat(c.bestScore()).isGreaterThan(0.5);
            assertThat(c.evidence()).extracting(Evidence::role).containsExactly("before", "during", "after", "vehicle");
            Evidence before = c.evidence().get(0);
            Evidence during = c.evidence().get(1);
            Evidence after = c.evidence().get(2);
            assertThat(before.at()).isBefore(during.at());
            assertThat(during.at()).isBefore(after.at());
            for (Evidence e : c.evidence()) {
                assertThat(e.sha256()).isEqualTo(ModelCard.sha256Hex(e.jpeg()));
                try (Mat decoded = imdecode(new Mat(e.jpeg()), IMREAD_COLOR)) {
                    assertThat(decoded.empty()).as(e.role() + " is a JPEG").isFalse();
                }
            }
            // the vehicle crop is the detected truck's box (130 + 34 px wide), with what the detector said
            try (Mat v = imdecode(new Mat(c.evidence().get(3).jpeg()), IMREAD_COLOR)) {
                assertThat(v.cols()).isEqualTo(164);
                assertThat(v.rows()).isEqualTo(62);
            }
            assertThat(c.evidence().get(3).detail()).isEqualTo("truck 0.62, car 0.31");
            assertThat(vehicleChecks).as("asked once, where it stopped").isEqualTo(1);
        }
    }

    @Test
    void a_large_blob_that_stops_where_the_detector_sees_no_vehicle_is_no_incident_and_costs_three_calls()
            throws Exception {
        detectorSeesTrucks = false;
        try (DumpingTracker t = tracker()) {
            arriveParkLeave(t, Duration.ofSeconds(90), RED_PILE);
            show(t, -1, RED_PILE, 20);
            assertThat(raised).isEmpty();
            assertThat(vehicleChecks).isEqualTo(3);
        }
    }

    @Test
    void a_truck_seen_on_the_second_try_counts_its_stay_from_when_it_stopped() throws Exception {
        try (DumpingTracker t = tracker()) {
            show(t, -1, null, 5);
            show(t, 0, null, 1);
            show(t, 60, null, 1);
            detectorSeesTrucks = false;
            show(t, 120, null, 2);               // stopped; the detector misses it on its first try, which is about
                                                 // the first still picture (asked at the second)
            detectorSeesTrucks = true;
            show(t, 120, null, 5);               // seen 4 s after that picture; 12 s in all, enough for the 10 s dwell
            show(t, 200, RED_PILE, 1);
            show(t, -1, RED_PILE, 10);
            assertThat(raised).hasSize(1);
            assertThat(vehicleChecks).isEqualTo(2);
        }
    }

    @Test
    void a_tipper_the_detector_sees_only_as_it_stops_still_raises() throws Exception {
        // The simulator's tipper scores 0.3-0.5 in COCO's eyes as it stops and nothing once its bin tips, two seconds
        // later: the first try is about the first still picture, not the look that shows it stood still.
        try (DumpingTracker t = tracker()) {
            show(t, -1, null, 5);
            show(t, 0, null, 1);
            show(t, 60, null, 1);
            detectorSeesOnlyLook = look;
            show(t, 120, null, 6);
            show(t, 200, RED_PILE, 1);
            show(t, -1, RED_PILE, 10);
            assertThat(raised).hasSize(1);
            assertThat(raised.get(0).evidence()).extracting(Evidence::role).contains("vehicle");
            assertThat(vehicleChecks).isEqualTo(1);
        }
    }

    @Test
    void a_vehicle_in_the_very_first_look_does_not_stay_behind_as_a_ghost() throws Exception {
        try (DumpingTracker t = tracker()) {
            show(t, 120, null, 1);       // the camera connects while a lorry drives through
            arriveParkLeave(t, Duration.ofSeconds(60), RED_PILE);
            assertThat(raised).as("its absence would read as a vehicle that never leaves").hasSize(1);
        }
    }

    /** The lorry learned as part of the street (standing at 120) drives off; then a truck dumps: one event. */
    void lorryLeavesThenATruckDumps(DumpingTracker t) throws Exception {
        show(t, 200, null, 1);               // drives off: the street now differs from what was learned
        show(t, -1, null, 3);
        arriveParkLeave(t, Duration.ofSeconds(60), RED_PILE);
        assertThat(raised).as("the lorry's absence must not be followed as a vehicle that never leaves").hasSize(1);
    }

    @Test
    void a_lorry_that_stood_until_it_was_part_of_the_scene_leaves_no_blind_spot_when_it_goes() throws Exception {
        DumpingPolicy p = TINY_MODEL_POLICY;
        DumpingPolicy shortDwell = new DumpingPolicy(p.diffThreshold(), p.vehicleMinArea(), p.vehicleGoneArea(),
                p.minDwell(), Duration.ofMinutes(2), p.pileMinArea(), p.confirmations(), p.afterWindow(),
                p.lightingChange(), p.backgroundAlpha(), p.absorbAfter(), p.pileContext());
        try (DumpingTracker t = tracker(shortDwell)) {
            show(t, -1, null, 5);
            show(t, 0, null, 1);
            show(t, 60, null, 1);
            show(t, 120, null, 70);          // 140 s > maxDwell: taken as part of the scene
            lorryLeavesThenATruckDumps(t);
        }
    }

    @Test
    void a_lorry_standing_there_when_the_camera_connected_leaves_no_blind_spot_when_it_goes() throws Exception {
        try (DumpingTracker t = tracker()) {
            show(t, 120, null, 5);           // learned as the street: it was there in every first look
            lorryLeavesThenATruckDumps(t);
        }
    }

    @Test
    void a_second_truck_after_the_first_event_is_a_second_event() throws Exception {
        try (DumpingTracker t = tracker()) {
            arriveParkLeave(t, Duration.ofSeconds(60), RED_PILE);
            assertThat(raised).hasSize(1);
            // the first pile is background now; a truck comes back, parks, leaves nothing new
            show(t, 0, RED_PILE, 1);
            show(t, 120, RED_PILE, 30);
            show(t, -1, RED_PILE, 10);
            assertThat(raised).hasSize(1);
        }
    }
}

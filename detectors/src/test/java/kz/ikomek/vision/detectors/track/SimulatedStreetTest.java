package kz.ikomek.vision.detectors.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.objects.Detection;
import kz.ikomek.vision.detectors.scene.Score;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.simulator.scene.Scenario;
import kz.ikomek.vision.simulator.scene.StreetScene;
import org.junit.jupiter.api.Test;

/**
 * The dumping event logic on the simulator's own rendered streets (traffic, lens softness, sensor noise, the
 * on-screen clock), at the demo's 1 s dumping cadence, with the demo's "roadside" zone. The left-behind object
 * is confirmed here by a check that records what it was asked, and the vehicle check answers with where the scene
 * drew its truck: these tests are about when the tracker asks (once, after the truck left, where the waste lies),
 * not about the classifier or the COCO detector, which have their own tests (models: the detector on these trucks).
 */
class SimulatedStreetTest {

    static final Instant T0 = Instant.parse("2026-03-02T07:00:00Z");
    static final Zone ROADSIDE = new Zone("roadside", List.of(new Zone.Point(0.45, 0.55), new Zone.Point(1.0, 0.55),
            new Zone.Point(1.0, 1.0), new Zone.Point(0.45, 1.0)), EnumSet.of(IncidentType.DUMPING));
    static final CameraSite SITE = new CameraSite("cam-05", new GeoPoint(51.1676, 71.4262), "Kenesary St 40",
            List.of(ROADSIDE));

    record Asked(double t, Box region) {
    }

    final List<Asked> asked = new ArrayList<>();
    final List<Double> vehicleAsked = new ArrayList<>();
    final List<Candidate> raised = new ArrayList<>();
    int busyLooks;       // looks after which the tracker was not idle
    int everyLook;       // of those, looks after which it wanted every keyframe

    void replay(Scenario scenario, long seed, int seconds) throws Exception {
        replay(scenario, seed, seconds, 1);
    }

    void replay(Scenario scenario, long seed, int seconds, int step) throws Exception {
        replay(scenario, seed, seconds, step, s -> s % Scenario.LOOP_SECONDS);
    }

    /**
     * The dumping scenario once, then the street as it stays: the heap where the truck left it while traffic goes on
     * (the scenario's last part over and over). Not the scenario's loop, whose restart takes the heap away in one
     * frame, which no street does.
     */
    void dumpAndStay(long seed, int seconds) throws Exception {
        double after = Scenario.LOOP_SECONDS - Scenario.TRUCK_GONE_AT;
        replay(Scenario.DUMPING, seed, seconds, 1,
                s -> s < Scenario.LOOP_SECONDS ? s : Scenario.TRUCK_GONE_AT + (s - Scenario.LOOP_SECONDS) % after);
    }

    void replay(Scenario scenario, long seed, int seconds, int step, IntToDoubleFunction sceneTime)
            throws Exception {
        double[] now = new double[1];
        try (StreetScene scene = new StreetScene(scenario, seed);
             DumpingTracker tracker = new DumpingTracker(SITE, ROADSIDE, DumpingPolicy.defaults(), (bgr, region) -> {
                 asked.add(new Asked(now[0], region));
                 return Score.of(0.9, 0.5, null);
             }, (bgr, region) -> {
                 vehicleAsked.add(now[0]);
                 return truckOf(scene, now[0]);
             })) {
            for (int s = 0; s < seconds; s += step) {
                now[0] = sceneTime.applyAsDouble(s);
                tracker.observe(T0.plusSeconds(s), scene.render(now[0])).ifPresent(raised::add);
                busyLooks += tracker.state() != DumpingTracker.State.IDLE ? 1 : 0;
                everyLook += tracker.wantsEveryLook() ? 1 : 0;
            }
        }
    }

    @Test
    void the_dumping_scenario_asks_once_where_the_waste_lies_and_raises_one_event_while_the_heap_stays() throws Exception {
        // Streets 1, 10 and 14 (the demo's first dumping street). With the truck redrawn for the COCO detector, 11 of
        // streets 1-16 pass this at 1 s looks with a detector that never misses; 3, 5, 7, 9 and 15 do not: at night
        // (5, 7) the opened tailgate darkens the place the truck stands on, which reads as the truck gone 6 s early;
        // on 9 a far truck's heap grows in front of it and the stop is never seen.
        for (long seed : new long[] {1, 10, 14}) {
            asked.clear();
            raised.clear();
            dumpAndStay(seed, 180);
            assertThat(asked).as("seed " + seed).hasSize(1);
            // where the truck stopped, and where a passing car or the heap's growth made a vehicle-sized blob stand still
            assertThat(vehicleAsked).as("seed " + seed + ": detector calls in 3 minutes").isNotEmpty()
                    .hasSizeLessThanOrEqualTo(6);
            vehicleAsked.clear();
            Asked a = asked.get(0);
            assertThat(a.t).isGreaterThanOrEqualTo(Scenario.TRUCK_LEAVE_AT).isLessThan(Scenario.LOOP_SECONDS);
            try (StreetScene scene = new StreetScene(Scenario.DUMPING, seed)) {
                int[] waste = scene.incidentBox(a.t);
                // The whole heap, not a fragment of it: the classifier says "no" to a strip of bags.
                assertThat(covered(waste, a.region)).as("asked about " + a.region + ", waste at "
                        + java.util.Arrays.toString(waste)).isGreaterThanOrEqualTo(0.9);
            }
            assertThat(raised).singleElement().satisfies(c -> {
                assertThat(c.type()).isEqualTo(IncidentType.DUMPING);
                assertThat(c.firstSeen()).isBetween(T0.plusSeconds(3), T0.plusSeconds(12));
                assertThat(c.evidence()).extracting(Evidence::role).containsExactly("before", "during", "after", "vehicle");
                // small enough to keep thousands a day: a 640x360 street frame at q75
                assertThat(c.evidence()).allSatisfy(e -> assertThat(e.jpeg().length).isBetween(1_000, 80_000));
                System.out.println("evidence bytes: " + c.evidence().stream().map(e -> e.role() + "=" + e.jpeg().length).toList());
            });
        }
    }

    @Test
    void at_two_second_looks_sixteen_of_twenty_rendered_dumping_streets_are_found() throws Exception {
        // Twenty streets (trucks near and far, heaps beside, behind and in front of them), looked at every 2 s from a
        // random moment of the 5 s before the scenario, as after the demo's lead-in. 11 of 20 before the tracker
        // judged "left" by the emptied place and knew ghosts. Still missed: 3 (a far truck whose heap covers the place
        // it stood on, so the place never empties), 15, 18 and 20 (the truck stops beyond the zone's far edge, only
        // a sliver of it or none inside, and its heap grows into the zone: no vehicle ever parks in it).
        List<Long> missed = new ArrayList<>();
        double[] now = new double[1];
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed * 31);
            int first = r.nextInt(0, 6) - 5;
            raised.clear();
            try (StreetScene scene = new StreetScene(Scenario.DUMPING, seed);
                 DumpingTracker tracker = new DumpingTracker(SITE, ROADSIDE, DumpingPolicy.defaults(),
                         (bgr, region) -> Score.of(0.9, 0.5, null), (bgr, region) -> truckOf(scene, now[0]))) {
                for (int s = first; s < Scenario.LOOP_SECONDS; s += 2) {
                    now[0] = Math.max(0, s);
                    tracker.observe(T0.plusSeconds(10 + s), scene.render(Math.max(0, s))).ifPresent(raised::add);
                }
            }
            if (raised.isEmpty()) {
                missed.add(seed);
            }
        }
        assertThat(missed).as("streets whose dumping was missed").hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void the_clear_scenario_raises_nothing_and_asks_nothing_over_ten_minutes() throws Exception {
        replay(Scenario.CLEAR, 3, 600);
        assertThat(asked).isEmpty();
        assertThat(vehicleAsked).as("passing traffic never opens the motion gate to the detector").isEmpty();
        assertThat(raised).isEmpty();
    }

    @Test
    void snow_spreading_over_the_zone_rarely_asks_the_vehicle_detector() throws Exception {
        // Twenty snow streets, one loop each at the production 2 s looks. The spreading cover stops as a large blob;
        // without the shape rules (DumpingTracker.notAVehicle) these asked the detector 53 times, three tries on most
        // streets; with them 19. What is still asked: a patch that appeared at once and stood (one try).
        for (long seed = 1; seed <= 20; seed++) {
            replay(Scenario.SNOW, seed, 60, 2);
        }
        System.out.println("vehicle checks on 20 snow streets: " + vehicleAsked.size() + "; looks following a blob "
                + busyLooks + ", of which wanting every keyframe " + everyLook);
        assertThat(vehicleAsked).as("vehicle checks on 20 snow streets").hasSizeLessThanOrEqualTo(20);
        assertThat(raised).isEmpty();
        // The spreading cover is followed as a blob until it stops; once its shape tells it from a vehicle the zone is
        // no longer hurried to every keyframe (most of the following comes before that: 86 of 101 looks).
        assertThat(everyLook).isLessThan(busyLooks);
    }

    @Test
    void the_other_scenarios_raise_no_dumping() throws Exception {
        for (Scenario s : List.of(Scenario.SNOW, Scenario.FLOOD, Scenario.OPEN_MANHOLE)) {
            replay(s, 2, 180);
            assertThat(raised).as(s.wireName()).isEmpty();
        }
    }

    @Test
    void at_the_production_two_second_cadence_a_heap_that_touched_the_truck_is_still_found() throws Exception {
        // Seed 10: the truck parks far up the zone (13% of it) and its heap touches it, so the followed blob turns
        // into the heap as the truck drives off; seed 5: the parked truck covers only 5% of the zone.
        for (long seed : new long[] {10, 5, 9}) {
            asked.clear();
            raised.clear();
            replay(Scenario.DUMPING, seed, 60, 2);
            assertThat(asked).as("seed " + seed).hasSize(1);
            try (StreetScene scene = new StreetScene(Scenario.DUMPING, seed)) {
                int[] waste = scene.incidentBox(asked.get(0).t);
                assertThat(covered(waste, asked.get(0).region)).as("seed " + seed).isGreaterThanOrEqualTo(0.9);
            }
            assertThat(raised).as("seed " + seed).hasSize(1);
        }
    }

    /** What a detector that never misses would say: the scene's truck where it is drawn, nothing else. */
    static List<Detection> truckOf(StreetScene scene, double t) {
        int[] b = scene.truckBox(t);
        return b == null ? List.of() : List.of(new Detection("truck", 0.5, new Box(b[0], b[1], b[2], b[3])));
    }

    /** Share of the box xywh inside b. */
    static double covered(int[] xywh, Box b) {
        double ix = Math.max(0, Math.min(b.x() + b.width(), xywh[0] + xywh[2]) - Math.max(b.x(), xywh[0]));
        double iy = Math.max(0, Math.min(b.y() + b.height(), xywh[1] + xywh[3]) - Math.max(b.y(), xywh[1]));
        return ix * iy / ((double) xywh[2] * xywh[3]);
    }
}

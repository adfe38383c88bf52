package kz.ikomek.vision.detectors.track;

import static org.assertj.core.api.Assertions.assertThat;

import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.track.DumpingTracker.Blob;
import org.junit.jupiter.api.Test;

/**
 * The shape rules that spare the object detector a stopped blob that cannot be a vehicle. Boxes are thumbnail pixels
 * of a 160x74 zone; areas are shares of the zone. The figures are those the simulator's streets gave at 2 s looks.
 */
class VehicleShapeRuleTest {

    @Test
    void snow_covering_most_of_the_zone_is_no_vehicle_however_it_got_there() {
        Blob arrival = new Blob(0.33, new Box(73, 0, 87, 74));
        assertThat(DumpingTracker.notAVehicle(arrival, new Blob(0.99, new Box(0, 0, 160, 74)), false)).isTrue();
        assertThat(DumpingTracker.notAVehicle(arrival, new Blob(0.5, new Box(0, 0, 120, 74)), false)).isTrue();
    }

    @Test
    void water_that_grew_where_it_appeared_is_no_vehicle() {
        // flood street 4: first seen at 6% of the zone, stood still at 27% with its first box inside at every look
        Blob arrival = new Blob(0.06, new Box(0, 5, 35, 38));
        assertThat(DumpingTracker.notAVehicle(arrival, new Blob(0.27, new Box(0, 0, 55, 63)), true)).isTrue();
    }

    @Test
    void a_blob_that_grew_less_than_twofold_is_still_asked_about() {
        Blob arrival = new Blob(0.05, new Box(66, 3, 41, 40));
        assertThat(DumpingTracker.notAVehicle(arrival, new Blob(0.09, new Box(66, 3, 66, 71)), true)).isFalse();
    }

    @Test
    void a_blob_that_grew_while_moving_on_is_asked_about() {
        // its box left the one before at some look: something drove, it did not just spread
        Blob arrival = new Blob(0.04, new Box(0, 40, 30, 30));
        assertThat(DumpingTracker.notAVehicle(arrival, new Blob(0.2, new Box(40, 10, 70, 60)), false)).isFalse();
    }

    @Test
    void a_truck_that_drove_in_and_stopped_is_asked_about() {
        // dumping street 14: seen arriving near the camera at 14% of the zone, stopped further up at 7%
        Blob arrival = new Blob(0.14, new Box(57, 0, 52, 40));
        assertThat(DumpingTracker.notAVehicle(arrival, new Blob(0.07, new Box(34, 0, 58, 26)), false)).isFalse();
        // a truck first seen already standing: the same blob at both looks
        Blob standing = new Blob(0.3, new Box(20, 0, 80, 60));
        assertThat(DumpingTracker.notAVehicle(standing, standing, true)).isFalse();
    }
}

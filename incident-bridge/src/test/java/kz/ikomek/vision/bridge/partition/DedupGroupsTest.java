package kz.ikomek.vision.bridge.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.ikomek.vision.config.GeoPoint;
import org.junit.jupiter.api.Test;

class DedupGroupsTest {

    static final GeoPoint KABANBAY = new GeoPoint(51.1282, 71.4307);

    static GeoPoint east(GeoPoint p, double meters) {
        return new GeoPoint(p.lat(), p.lon() + meters / (111_195.0 * Math.cos(Math.toRadians(p.lat()))));
    }

    static GeoPoint north(GeoPoint p, double meters) {
        return new GeoPoint(p.lat() + meters / 111_195.0, p.lon());
    }

    @Test
    void cameras_within_the_radius_chain_into_one_group_named_after_its_smallest_camera() {
        Map<String, GeoPoint> places = new LinkedHashMap<>();
        places.put("cam-c", east(KABANBAY, 50));
        places.put("cam-b", east(KABANBAY, 25));
        places.put("cam-a", KABANBAY);
        places.put("cam-z", north(KABANBAY, 500));

        DedupGroups groups = DedupGroups.of(places, 30);

        assertThat(groups.groupOf("cam-c", null)).isEqualTo("cam-a");
        assertThat(groups.groupOf("cam-b", null)).isEqualTo("cam-a");
        assertThat(groups.groupOf("cam-z", null)).isEqualTo("cam-z");
        assertThat(groups.members()).containsEntry("cam-a", List.of("cam-a", "cam-b", "cam-c"))
                .containsEntry("cam-z", List.of("cam-z"));
    }

    @Test
    void every_pair_of_cameras_within_the_radius_shares_a_group_whichever_direction() {
        Map<String, GeoPoint> places = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            // A ring of places every 29.9 m on a circle: neighbours within 30 m, in every compass direction.
            double angle = 2 * Math.PI * i / 200;
            double r = 29.9 * 200 / (2 * Math.PI);
            places.put("cam-" + i, north(east(KABANBAY, r * Math.cos(angle)), r * Math.sin(angle)));
        }
        DedupGroups groups = DedupGroups.of(places, 30);
        for (var a : places.entrySet()) {
            for (var b : places.entrySet()) {
                if (a.getValue().metersTo(b.getValue()) <= 30) {
                    assertThat(groups.groupOf(a.getKey(), null)).isEqualTo(groups.groupOf(b.getKey(), null));
                }
            }
        }
        assertThat(groups.members()).hasSize(1);
    }

    @Test
    void a_camera_missing_from_the_registry_joins_the_group_of_the_nearest_camera_within_the_radius() {
        DedupGroups groups = DedupGroups.of(Map.of("cam-1", KABANBAY, "cam-2", north(KABANBAY, 1000)), 30);

        assertThat(groups.groupOf("cam-new", north(KABANBAY, 1010))).isEqualTo("cam-2");
        assertThat(groups.groupOf("cam-far", north(KABANBAY, 5000))).isEqualTo("cam-far");
    }
}

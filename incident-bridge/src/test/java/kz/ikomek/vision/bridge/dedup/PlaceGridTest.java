package kz.ikomek.vision.bridge.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import kz.ikomek.vision.config.GeoPoint;
import org.junit.jupiter.api.Test;

class PlaceGridTest {

    @Test
    void everything_within_the_radius_is_near_in_every_direction_and_at_high_latitudes() {
        for (double lat : new double[] {0, 51.1282, 70, 89.99}) {
            GeoPoint centre = new GeoPoint(lat, 71.4307);
            PlaceGrid<String> grid = new PlaceGrid<>(30);
            for (int i = 0; i < 64; i++) {
                double angle = 2 * Math.PI * i / 64;
                GeoPoint p = new GeoPoint(lat + 29.99 * Math.sin(angle) / 111_195.0,
                        71.4307 + 29.99 * Math.cos(angle) / (111_195.0 * Math.cos(Math.toRadians(lat))));
                if (p.metersTo(centre) <= 30) {
                    grid.put("p" + i, p, "p" + i);
                }
            }
            assertThat(grid.near(centre)).as("latitude %s", lat).hasSize(grid.size());
        }
    }

    @Test
    void a_moved_or_removed_thing_is_found_only_where_it_is() {
        PlaceGrid<String> grid = new PlaceGrid<>(30);
        GeoPoint a = new GeoPoint(51.1282, 71.4307);
        GeoPoint b = new GeoPoint(51.2282, 71.4307);
        grid.put("x", a, "x");
        grid.put("x", b, "x");

        assertThat(grid.near(a)).isEmpty();
        assertThat(grid.near(b)).containsExactly("x");
        assertThat(grid.remove("x")).isEqualTo("x");
        assertThat(grid.near(b)).isEmpty();
        assertThat(grid.size()).isZero();
    }
}

package kz.ikomek.vision.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void durations_read_every_unit_and_sums() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("6h")).isEqualTo(Duration.ofHours(6));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void durations_reject_missing_units_and_words() {
        for (String bad : new String[] {"30", "5 m", "5min", "-5s", "", "PT5M"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected a duration like 500ms, 30s, 5m, 6h or 2d");
        }
    }

    @Test
    void durations_format_back_to_what_parse_reads() {
        for (String s : new String[] {"500ms", "30s", "5m", "6h", "2d", "1m30s", "1d2h3m4s5ms"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void urls_mask_credentials_even_with_at_signs_in_the_password() {
        assertThat(Urls.mask("rtsp://viewer:secret@10.1.2.3/sub")).isEqualTo("rtsp://***@10.1.2.3/sub");
        assertThat(Urls.mask("rtsp://viewer:p@ss@10.1.2.3:554/sub?a=b@c")).isEqualTo("rtsp://***@10.1.2.3:554/sub?a=b@c");
        assertThat(Urls.mask("open rtsp://viewer:pw@h:554 failed: [rtsp @ 0x5] 401")).isEqualTo("open rtsp://***@h:554 failed: [rtsp @ 0x5] 401");
        assertThat(Urls.mask("rtsp://10.1.2.3/sub")).isEqualTo("rtsp://10.1.2.3/sub");
    }

    @Test
    void a_secret_hides_its_value() {
        Secret s = Secret.of("hunter2");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.reveal()).isEqualTo("hunter2");
        assertThat(new ConsoleConfig.User("a", ConsoleConfig.Role.ADMIN, java.util.Optional.empty(), s).toString()).doesNotContain("hunter2");
    }

    @Test
    void a_zone_contains_the_points_inside_its_polygon() {
        ZoneConfig z = new ZoneConfig("z", List.of(new ZoneConfig.Point(0, 0.5), new ZoneConfig.Point(1, 0.5),
                new ZoneConfig.Point(1, 1), new ZoneConfig.Point(0, 1)), List.of(IncidentType.SNOW));
        assertThat(z.contains(0.5, 0.75)).isTrue();
        assertThat(z.contains(0.5, 0.25)).isFalse();
        assertThat(z.watches(IncidentType.SNOW)).isTrue();
        assertThat(z.watches(IncidentType.FLOOD)).isFalse();
    }
}

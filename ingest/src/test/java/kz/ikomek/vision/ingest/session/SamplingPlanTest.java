package kz.ikomek.vision.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplingPlanTest {

    private static final long S = 1_000_000_000L;

    @Test
    void every_zone_is_due_on_the_first_frame_then_at_its_own_cadence() {
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(2), "yard", Duration.ofSeconds(5)));
        assertThat(plan.dueAt(0)).containsExactly("road", "yard");
        plan.taken(Set.of("road", "yard"), 0);
        assertThat(plan.dueAt(1 * S)).isEmpty();
        assertThat(plan.dueAt(2 * S)).containsExactly("road");
        plan.taken(Set.of("road"), 2 * S);
        assertThat(plan.dueAt(4 * S)).containsExactly("road");
        plan.taken(Set.of("road"), 4 * S);
        assertThat(plan.dueAt(5 * S)).containsExactly("yard");
    }

    @Test
    void a_keyframe_a_little_early_still_counts_so_the_interval_does_not_double() {
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(2)));
        plan.taken(plan.dueAt(0), 0);
        assertThat(plan.dueAt(2 * S - 50_000_000L)).containsExactly("road");
    }

    @Test
    void the_schedule_does_not_drift_with_late_frames() {
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(2)));
        plan.taken(plan.dueAt(0), 0);
        plan.taken(plan.dueAt(2 * S + 300_000_000L), 2 * S + 300_000_000L);   // late by 0.3 s
        assertThat(plan.dueAt(4 * S - 100_000_000L)).containsExactly("road");   // still on the 2 s grid
    }

    @Test
    void keyframes_suffice_when_they_come_at_least_as_often_as_the_fastest_zone() {
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(2), "yard", Duration.ofMinutes(5)));
        assertThat(plan.keyframesSuffice(1 * S)).isTrue();
        assertThat(plan.keyframesSuffice(2 * S)).isTrue();
        assertThat(plan.keyframesSuffice(4 * S)).isFalse();
        assertThat(plan.fastest()).isEqualTo(Duration.ofSeconds(2));
    }
}

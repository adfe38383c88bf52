package kz.ikomek.vision.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
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

    @Test
    void a_hurried_zone_is_due_on_every_keyframe_until_the_deadline_then_back_at_its_cadence_without_a_burst() {
        AtomicLong wall = new AtomicLong(7 * S);             // the wall clock has nothing to do with the stream's
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(5), "yard", Duration.ofMinutes(5)),
                wall::get);
        plan.taken(plan.dueAt(0, true), 0);
        assertThat(plan.hurry("road", Duration.ofSeconds(9))).isTrue();
        assertThat(plan.hurry("no-such-zone", Duration.ofSeconds(9))).isFalse();
        // keyframes every 2 s, stream and wall clock advancing together
        for (long t = 2 * S; t <= 8 * S; t += 2 * S) {
            wall.set(7 * S + t);
            assertThat(plan.dueAt(t + S / 2, false)).as("not a keyframe at %d s", t / S).isEmpty();
            Set<String> due = plan.dueAt(t, true);
            assertThat(due).as("keyframe at %d s", t / S).containsExactly("road");
            plan.taken(due, t);
        }
        // the hurry is over (9 s after it began): the last hurried frame (8 s) starts the 5 s cadence again
        wall.set(7 * S + 10 * S);
        assertThat(plan.dueAt(10 * S, true)).isEmpty();
        wall.set(7 * S + 12 * S);
        assertThat(plan.dueAt(12 * S, true)).isEmpty();
        wall.set(7 * S + 14 * S);
        assertThat(plan.dueAt(14 * S, true)).containsExactly("road");
        plan.taken(Set.of("road"), 14 * S);
        wall.set(7 * S + 16 * S);
        assertThat(plan.dueAt(16 * S, true)).isEmpty();
    }

    @Test
    void a_hurry_outlives_a_reconnect_and_is_shared_by_a_fresh_copy_but_not_the_schedule() {
        AtomicLong wall = new AtomicLong();
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(5)), wall::get);
        plan.taken(plan.dueAt(0, true), 0);
        SamplingPlan copy = plan.fresh();
        assertThat(copy.dueAt(0, false)).as("own, empty schedule").containsExactly("road");
        copy.taken(Set.of("road"), 0);
        plan.hurry("road", Duration.ofSeconds(10));
        copy.reset();
        copy.taken(copy.dueAt(0, true), 0);
        assertThat(copy.dueAt(2 * S, true)).containsExactly("road");
        plan.hurry("road", Duration.ofSeconds(1));           // an earlier deadline does not cut the hurry short
        wall.set(3 * S);
        assertThat(copy.dueAt(3 * S, true)).containsExactly("road");
        wall.set(10 * S);
        assertThat(copy.dueAt(3 * S, true)).isEmpty();
    }

    @Test
    void a_hurry_does_not_make_keyframes_insufficient_or_sufficient() {
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(5)));
        plan.hurry("road", Duration.ofMinutes(1));
        assertThat(plan.keyframesSuffice(2 * S)).isTrue();
        assertThat(plan.keyframesSuffice(10 * S)).isFalse();
    }

    @Test
    void a_protected_zone_keeps_its_cadence_but_its_looks_are_urgent_until_the_protection_ends() {
        AtomicLong clock = new AtomicLong();
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(5), "yard", Duration.ofSeconds(2)), clock::get);
        plan.taken(plan.dueAt(0, true), 0);
        assertThat(plan.urgent(Set.of("road"))).isFalse();
        assertThat(plan.protect("road", Duration.ofSeconds(30))).isTrue();
        assertThat(plan.protect("nowhere", Duration.ofSeconds(30))).isFalse();
        assertThat(plan.dueAt(2 * S, true)).containsExactly("yard");         // not hurried: still its 5 s cadence
        assertThat(plan.urgent(Set.of("yard"))).isFalse();
        assertThat(plan.urgent(Set.of("road", "yard"))).isTrue();
        clock.set(31 * S);
        assertThat(plan.urgent(Set.of("road"))).isFalse();
    }

    @Test
    void a_hurried_zone_is_urgent_too() {
        AtomicLong clock = new AtomicLong();
        SamplingPlan plan = new SamplingPlan(Map.of("lot", Duration.ofSeconds(2)), clock::get);
        plan.hurry("lot", Duration.ofSeconds(20));
        assertThat(plan.urgent(Set.of("lot"))).isTrue();
    }

    @Test
    void overdue_and_lag_say_how_far_behind_its_cadence_a_camera_is() {
        SamplingPlan plan = new SamplingPlan(Map.of("road", Duration.ofSeconds(5), "yard", Duration.ofSeconds(2)));
        assertThat(plan.overdue(plan.dueAt(0), 0)).isZero();                 // the connection's first keyframe
        assertThat(plan.overdue(plan.dueAt(4 * S), 4 * S)).isEqualTo(2.0);   // not looked at since: late like any other
        plan.taken(Set.of("road", "yard"), 0);
        // yard due at 2 s, road at 5 s; at 6 s (its looks shed meanwhile) yard is 2 of its cadences late
        assertThat(plan.overdue(Set.of("road", "yard"), 6 * S)).isEqualTo(2.0);
        assertThat(plan.lagNanos(6 * S)).isEqualTo(4 * S);
        assertThat(plan.lagNanos(1 * S)).isZero();
    }
}

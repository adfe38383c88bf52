package kz.ikomek.vision.detectors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The vehicle check budget on a clock the test moves (nanoseconds). */
class VehicleCheckBudgetTest {

    long now = 1_000_000_000L;

    @Test
    void a_burst_then_one_retry_per_refill_and_a_first_try_is_never_refused() {
        VehicleCheckBudget b = new VehicleCheckBudget(2, 3, () -> now);
        assertThat(b.take(false)).isTrue();
        assertThat(b.take(false)).isTrue();
        assertThat(b.take(false)).isTrue();
        assertThat(b.take(false)).as("burst spent").isFalse();
        assertThat(b.take(true)).as("the first try at a stop").isTrue();
        now += 250_000_000L;            // half a token at 2 a second
        assertThat(b.take(false)).isFalse();
        now += 250_000_000L;
        assertThat(b.take(false)).isTrue();
        now += 60_000_000_000L;         // a quiet minute refills to the burst, not beyond
        for (int i = 0; i < 3; i++) {
            assertThat(b.take(false)).isTrue();
        }
        assertThat(b.take(false)).isFalse();
        assertThat(b.refused()).isEqualTo(3);
    }

    @Test
    void unlimited_refuses_nothing_and_a_budget_needs_a_rate() {
        for (int i = 0; i < 100; i++) {
            assertThat(VehicleCheckBudget.UNLIMITED.take(false)).isTrue();
        }
        assertThatThrownBy(() -> new VehicleCheckBudget(0, 1)).hasMessageContaining("perSecond > 0");
    }
}

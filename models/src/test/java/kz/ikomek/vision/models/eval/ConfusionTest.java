package kz.ikomek.vision.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionTest {

    @Test
    void counts_each_outcome_and_derives_precision_recall_and_f1() {
        Confusion c = new Confusion();
        c.add(true, true);
        c.add(true, true);
        c.add(true, true);
        c.add(false, true);
        c.add(true, false);
        c.add(false, false);
        c.add(false, false);
        assertThat(new int[] {c.tp(), c.fp(), c.fn(), c.tn()}).containsExactly(3, 1, 1, 2);
        assertThat(c.precision()).isCloseTo(0.75, within(1e-9));
        assertThat(c.recall()).isCloseTo(0.75, within(1e-9));
        assertThat(c.f1()).isCloseTo(0.75, within(1e-9));
        assertThat(c.falsePositiveRate()).isCloseTo(1.0 / 3, within(1e-9));
    }

    @Test
    void undefined_ratios_are_zero_not_nan() {
        Confusion c = new Confusion();
        c.add(false, false);
        assertThat(c.precision()).isZero();
        assertThat(c.recall()).isZero();
        assertThat(c.f1()).isZero();
    }
}

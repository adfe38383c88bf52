package kz.ikomek.vision.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyframeIntervalTest {

    private static final long S = 1_000_000_000L;

    @Test
    void a_lost_keyframe_does_not_lengthen_the_interval() {
        KeyframeInterval gop = new KeyframeInterval();
        assertThat(gop.get()).isZero();
        assertThat(gop.add(2 * S)).isEqualTo(2 * S);
        assertThat(gop.add(4 * S)).isEqualTo(2 * S);   // one keyframe dropped by a server under load
        assertThat(gop.add(2 * S)).isEqualTo(2 * S);
    }

    @Test
    void a_longer_gop_is_believed_once_the_short_gaps_are_forgotten() {
        KeyframeInterval gop = new KeyframeInterval();
        gop.add(2 * S);
        for (int i = 0; i < 7; i++) {
            assertThat(gop.add(4 * S)).isEqualTo(2 * S);
        }
        assertThat(gop.add(4 * S)).isEqualTo(4 * S);   // eight 4 s gaps in a row: the camera's GOP is 4 s now
    }
}

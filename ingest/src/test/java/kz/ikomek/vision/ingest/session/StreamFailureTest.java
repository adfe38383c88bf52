package kz.ikomek.vision.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import kz.ikomek.vision.ingest.health.CameraState;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

class StreamFailureTest {

    @Test
    void ffmpeg_codes_map_to_what_an_operator_can_act_on() {
        assertThat(StreamFailure.of(avutil.AVERROR_HTTP_UNAUTHORIZED)).isEqualTo(StreamFailure.UNAUTHORIZED);
        assertThat(StreamFailure.of(-111)).isEqualTo(StreamFailure.UNREACHABLE);   // ECONNREFUSED
        assertThat(StreamFailure.of(-110)).isEqualTo(StreamFailure.TIMEOUT);       // ETIMEDOUT
        assertThat(StreamFailure.of(avutil.AVERROR_INVALIDDATA)).isEqualTo(StreamFailure.NO_VIDEO);
        assertThat(StreamFailure.of(avutil.AVERROR_EOF)).isEqualTo(StreamFailure.LOST);
        assertThat(StreamFailure.UNAUTHORIZED.state()).isEqualTo(CameraState.UNAUTHORIZED);
    }

    @Test
    void analytics_size_fits_inside_and_never_enlarges() {
        assertThat(PacketDecoder.fit(1920, 1080, 640, 360)).containsExactly(640, 360);
        assertThat(PacketDecoder.fit(704, 576, 640, 360)).containsExactly(440, 360);
        assertThat(PacketDecoder.fit(320, 240, 640, 360)).containsExactly(320, 240);
    }
}

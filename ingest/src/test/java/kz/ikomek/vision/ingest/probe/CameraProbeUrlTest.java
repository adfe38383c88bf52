package kz.ikomek.vision.ingest.probe;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kz.ikomek.vision.config.BadInputException;
import org.junit.jupiter.api.Test;

class CameraProbeUrlTest {

    @Test
    void camera_urls_are_accepted() {
        assertThatCode(() -> CameraProbe.checkUrl("rtsp://viewer:s3cr%40t@10.1.2.3:554/sub")).doesNotThrowAnyException();
        assertThatCode(() -> CameraProbe.checkUrl("rtsps://cam.example.kz/live")).doesNotThrowAnyException();
        assertThatCode(() -> CameraProbe.checkUrl("http://10.0.0.5/mjpeg")).doesNotThrowAnyException();
        assertThatCode(() -> CameraProbe.checkUrl("https://cdn.example.kz/cam/index.m3u8")).doesNotThrowAnyException();
    }

    @Test
    void malformed_urls_are_bad_input_and_the_password_is_not_shown() {
        assertThatThrownBy(() -> CameraProbe.checkUrl("rtsp//host/x")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> CameraProbe.checkUrl("ftp://host/x")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> CameraProbe.checkUrl("rtsp://")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> CameraProbe.checkUrl("")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> CameraProbe.checkUrl("rtsp://u:topsecret@host:99999/x"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("99999")
                .hasMessageNotContaining("topsecret");
    }
}

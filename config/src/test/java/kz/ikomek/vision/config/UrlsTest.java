package kz.ikomek.vision.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rtsp://10.1.2.3/live?user=admin&password=hunter2|rtsp://10.1.2.3/live?user=admin&password=***",
            "rtsp://10.1.2.3/live?pwd=hunter2&channel=1|rtsp://10.1.2.3/live?pwd=***&channel=1",
            "rtsp://10.1.2.3/user=admin&password=hunter2&channel=1&stream=0.sdp|rtsp://10.1.2.3/user=admin&password=***&channel=1&stream=0.sdp",
            "rtsp://10.1.2.3/user=admin_password=x/password=hunter2/stream|rtsp://10.1.2.3/user=admin_password=x/password=***/stream",
            "http://cam/snap.jpg?Token=a/b+c==&x=1|http://cam/snap.jpg?Token=***&x=1",
            "http://cam/x?api_key=abc;auth=def#frag|http://cam/x?api_key=***;auth=***#frag",
            "rtsp://u:p@cam/x?passwd=s&pass=t&key=k&secret=z|rtsp://***@cam/x?passwd=***&pass=***&key=***&secret=***",
            "open rtsp://cam/x?password=hunter2 failed: 401|open rtsp://cam/x?password=*** failed: 401",
            "rtsp://cam/x?monkey=1&passport=2&keyframe=3|rtsp://cam/x?monkey=1&passport=2&keyframe=3",
    })
    void masks_every_credential_form(String url, String masked) {
        assertThat(Urls.mask(url)).isEqualTo(masked);
        assertThat(Urls.mask(masked)).as("masking twice changes nothing").isEqualTo(masked);
    }

    @Test
    void tells_a_parameter_credential_from_user_info() {
        assertThat(Urls.hasParameterCredential("rtsp://10.1.2.3/user=admin&password=x&channel=1")).isTrue();
        assertThat(Urls.hasParameterCredential("rtsp://10.1.2.3/live?token=x")).isTrue();
        assertThat(Urls.hasParameterCredential("rtsp://viewer:x@10.1.2.3/live?channel=1")).isFalse();
    }
}

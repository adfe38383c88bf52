package kz.ikomek.vision.simulator.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static RtspRequest request(String method, String uri, String authorization) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("CSeq", "3");
        if (authorization != null) {
            h.put("Authorization", authorization);
        }
        return new RtspRequest(method, uri, "RTSP/1.0", h, new byte[0]);
    }

    private static String nonce(Credentials c) {
        String challenge = c.challenges();
        int i = challenge.indexOf("nonce=\"") + 7;
        return challenge.substring(i, challenge.indexOf('"', i));
    }

    @Test
    void digest_answers_computed_as_rfc_2617_says_are_accepted_and_wrong_ones_refused() {
        Credentials c = new Credentials("viewer", "pa ss", Credentials.Scheme.DIGEST);
        String uri = "rtsp://127.0.0.1:8554/cam-1";
        String nonce = nonce(c);
        String ha1 = Credentials.md5("viewer:ikomek-vision:pa ss");
        String ha2 = Credentials.md5("DESCRIBE:" + uri);
        String plain = Credentials.md5(ha1 + ":" + nonce + ":" + ha2);
        String withQop = Credentials.md5(ha1 + ":" + nonce + ":00000001:abcd:auth:" + ha2);
        String header = "Digest username=\"viewer\", realm=\"ikomek-vision\", nonce=\"" + nonce + "\", uri=\"" + uri + "\"";

        assertThat(c.accepts(request("DESCRIBE", uri, header + ", response=\"" + plain + "\""))).isTrue();
        assertThat(c.accepts(request("DESCRIBE", uri, header + ", qop=auth, nc=00000001, cnonce=\"abcd\", response=\""
                + withQop + "\""))).isTrue();
        assertThat(c.accepts(request("SETUP", uri, header + ", response=\"" + plain + "\""))).as("other method").isFalse();
        assertThat(c.accepts(request("DESCRIBE", uri, null))).isFalse();
        String basic = "Basic " + Base64.getEncoder().encodeToString("viewer:pa ss".getBytes(StandardCharsets.UTF_8));
        assertThat(c.accepts(request("DESCRIBE", uri, basic))).as("basic not offered").isFalse();
        assertThat(c.challenges()).contains("Digest realm=").doesNotContain("Basic");
    }

    @Test
    void basic_accepts_only_the_exact_user_and_password() {
        Credentials c = new Credentials("viewer", "secret", Credentials.Scheme.BOTH);
        String ok = Base64.getEncoder().encodeToString("viewer:secret".getBytes(StandardCharsets.UTF_8));
        String bad = Base64.getEncoder().encodeToString("viewer:Secret".getBytes(StandardCharsets.UTF_8));
        assertThat(c.accepts(request("DESCRIBE", "rtsp://h/cam-1", "Basic " + ok))).isTrue();
        assertThat(c.accepts(request("DESCRIBE", "rtsp://h/cam-1", "Basic " + bad))).isFalse();
        assertThat(c.accepts(request("DESCRIBE", "rtsp://h/cam-1", "Basic %%%"))).isFalse();
        assertThat(c.challenges()).contains("Digest realm=", "Basic realm=");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void camera_numbers_come_from_the_path_with_or_without_track_or_query() {
        assertThat(RtspServer.cameraOf("rtsp://127.0.0.1:8554/cam-7")).isEqualTo(7);
        assertThat(RtspServer.cameraOf("rtsp://u:p@127.0.0.1:8554/cam-12/track1")).isEqualTo(12);
        assertThat(RtspServer.cameraOf("rtsp://127.0.0.1/cam-3?x=1")).isEqualTo(3);
        assertThat(RtspServer.cameraOf("/cam-4/")).isEqualTo(4);
        assertThat(RtspServer.cameraOf("rtsp://127.0.0.1:8554/camera-7")).isZero();
        assertThat(RtspServer.cameraOf("*")).isZero();
    }
}

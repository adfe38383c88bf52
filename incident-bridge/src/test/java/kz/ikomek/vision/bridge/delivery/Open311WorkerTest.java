package kz.ikomek.vision.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class Open311WorkerTest {

    @Test
    void reads_the_service_request_id_from_a_georeport_answer() {
        assertThat(Open311Worker.serviceRequestId("[{\"service_request_id\":\"638344\",\"service_notice\":\"\"}]"))
                .contains("638344");
        assertThat(Open311Worker.serviceRequestId("{\"service_request_id\": 17}")).contains("17");
    }

    @Test
    void a_deferred_answer_keeps_its_token() {
        assertThat(Open311Worker.serviceRequestId("[{\"token\":\"12345\"}]")).contains("token:12345");
    }

    @Test
    void garbage_or_an_empty_answer_has_no_id() {
        assertThat(Open311Worker.serviceRequestId("<html>maintenance</html>")).isEmpty();
        assertThat(Open311Worker.serviceRequestId("[]")).isEmpty();
        assertThat(Open311Worker.serviceRequestId("[{\"service_request_id\":\"\"}]")).isEmpty();
        assertThat(Open311Worker.serviceRequestId("")).isEmpty();
    }

    @Test
    void backoff_doubles_up_to_its_cap_with_bounded_jitter() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 5);
        assertThat(p.backoff(1, 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(3, 0)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoff(10, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(10, 1)).isEqualTo(Duration.ofMillis(1200));
    }
}

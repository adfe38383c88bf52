package kz.ikomek.vision.console.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServingHealthTest {

    private final ServingHealth rule = new ServingHealth(Duration.ofSeconds(2), 200);

    @Test
    void serving_while_requests_get_a_worker_in_time() {
        assertThat(rule.problem(new PoolLoad("p", 8, 0, 8, Duration.ZERO))).isNull();
        assertThat(rule.problem(new PoolLoad("p", 8, 40, 8, Duration.ofMillis(300)))).isNull();
    }

    @Test
    void not_serving_when_the_oldest_request_waits_too_long_or_too_many_wait() {
        assertThat(rule.problem(new PoolLoad("p", 8, 3, 8, Duration.ofSeconds(5)))).contains("waited 5000 ms");
        assertThat(rule.problem(new PoolLoad("p", 8, 201, 8, Duration.ofMillis(10)))).contains("201 requests wait");
    }
}

package kz.ikomek.vision.ingest.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import kz.ikomek.vision.ingest.FrameSample;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class MailboxTest {

    private final ReadySamples ready = new ReadySamples();

    private static FrameSample sample(String camera, int n) {
        return new FrameSample(camera, Instant.ofEpochSecond(n), new Mat(4, 4, opencv_core.CV_8UC3), Set.of("road"));
    }

    @Test
    void the_newest_sample_wins_and_the_replaced_one_is_released_and_counted() throws Exception {
        Mailbox box = new Mailbox("cam-1", ready::filled);
        FrameSample first = sample("cam-1", 1);
        box.offer(first);
        box.offer(sample("cam-1", 2));
        box.offer(sample("cam-1", 3));
        assertThat(first.image().isNull()).isTrue();   // native memory freed
        assertThat(box.dropped()).isEqualTo(2);
        List<FrameSample> batch = ready.take(10, Duration.ZERO);
        assertThat(batch).extracting(FrameSample::capturedAt).containsExactly(Instant.ofEpochSecond(3));
        batch.forEach(FrameSample::close);
    }

    @Test
    void a_sample_waits_until_the_detectors_take_it() throws Exception {
        Mailbox box = new Mailbox("cam-1", ready::filled);
        assertThat(box.waiting()).isFalse();
        box.offer(sample("cam-1", 1));
        assertThat(box.waiting()).as("a session does not decode a routine look for it meanwhile").isTrue();
        List<FrameSample> batch = ready.take(10, Duration.ZERO);
        batch.forEach(FrameSample::close);
        assertThat(box.waiting()).isFalse();
    }

    @Test
    void one_call_collects_a_batch_across_cameras_in_the_order_they_filled() throws Exception {
        Mailbox a = new Mailbox("a", ready::filled);
        Mailbox b = new Mailbox("b", ready::filled);
        Mailbox c = new Mailbox("c", ready::filled);
        b.offer(sample("b", 1));
        a.offer(sample("a", 1));
        c.offer(sample("c", 1));
        List<FrameSample> batch = ready.take(2, Duration.ZERO);
        assertThat(batch).extracting(FrameSample::cameraId).containsExactly("b", "a");
        batch.forEach(FrameSample::close);
        List<FrameSample> rest = ready.take(2, Duration.ZERO);
        assertThat(rest).extracting(FrameSample::cameraId).containsExactly("c");
        rest.forEach(FrameSample::close);
    }

    @Test
    void waits_for_the_first_sample_and_returns_empty_at_the_deadline() throws Exception {
        assertThat(ready.take(4, Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void a_closed_mailbox_releases_what_it_holds_and_what_comes_late() {
        Mailbox box = new Mailbox("cam-1", ready::filled);
        FrameSample held = sample("cam-1", 1);
        box.offer(held);
        box.close();
        FrameSample late = sample("cam-1", 2);
        box.offer(late);
        assertThat(held.image().isNull()).isTrue();
        assertThat(late.image().isNull()).isTrue();
        assertThat(box.take()).isNull();
    }
}

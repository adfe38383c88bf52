package kz.ikomek.vision.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyframe decoders shared between cameras: two different H.264 streams of the same parameters (FFmpeg's test
 * sources, encoded by libx264), their keyframes decoded in turn on pooled decoders, each picture compared pixel for
 * pixel with a fresh decoder's.
 */
class DecoderPoolTest {

    @TempDir
    Path dir;

    /** Six seconds of one of FFmpeg's test sources at 5 fps, a keyframe every 2 s, as an MP4 file. */
    Path camera(String source) throws Exception {
        Path file = dir.resolve(source + ".mp4");
        Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i", source + "=size=640x360:rate=5",
                "-t", "6", "-c:v", "libx264", "-g", "10", "-bf", "0", "-pix_fmt", "yuv420p", file.toString())
                .inheritIO().start();
        assertThat(ff.waitFor()).isZero();
        return file;
    }

    static StreamConnection open(Path file) throws StreamException {
        return StreamConnection.open(file.toString(), null, Duration.ofSeconds(5), Duration.ofSeconds(5), () -> false);
    }

    /** Each keyframe of the file as a fresh decoder (one per look, as sessions did) gives it. */
    static List<Mat> freshPictures(Path file) throws Exception {
        List<Mat> out = new ArrayList<>();
        try (StreamConnection c = open(file)) {
            for (AVPacket p = next(c); p != null; p = next(c)) {
                try (PacketDecoder d = new PacketDecoder(c.video(), 640, 360)) {
                    if ((p.flags() & AV_PKT_FLAG_KEY) != 0 && d.decodeKeyframe(p)) {
                        out.add(d.toBgr());
                    }
                } finally {
                    c.unref();
                }
            }
        }
        return out;
    }

    static AVPacket next(StreamConnection c) {
        try {
            return c.read();
        } catch (StreamException e) {
            return null;    // end of file
        }
    }

    @Test
    void a_decoder_that_served_one_camera_gives_the_next_the_same_picture_a_fresh_one_would() throws Exception {
        Path a = camera("testsrc");
        Path b = camera("mandelbrot");
        List<Mat> expectedA = freshPictures(a);
        List<Mat> expectedB = freshPictures(b);
        assertThat(expectedA).hasSize(3);
        assertThat(expectedB).hasSize(3);
        List<PacketDecoder> used = new ArrayList<>();
        try (DecoderPool pool = new DecoderPool(1, 640, 360);
             StreamConnection ca = open(a); StreamConnection cb = open(b)) {
            int ka = 0;
            int kb = 0;
            while (ka < expectedA.size() || kb < expectedB.size()) {
                // the two cameras' keyframes alternate on the one pooled decoder
                ka = lookAt(pool, ca, expectedA, ka, used);
                kb = lookAt(pool, cb, expectedB, kb, used);
            }
            assertThat(pool.idle()).isEqualTo(1);
        }
        assertThat(used).hasSize(6);
        assertThat(used.stream().distinct().count()).as("one decoder served every look").isEqualTo(1);
    }

    /** Reads up to the camera's next keyframe, decodes it on a pooled decoder, checks the picture; the next index. */
    static int lookAt(DecoderPool pool, StreamConnection c, List<Mat> expected, int k, List<PacketDecoder> used)
            throws Exception {
        if (k >= expected.size()) {
            return k;
        }
        for (AVPacket p = next(c); p != null; p = next(c)) {
            try {
                if ((p.flags() & AV_PKT_FLAG_KEY) == 0) {
                    continue;
                }
                PacketDecoder d = pool.take(c.video());
                used.add(d);
                assertThat(d.decodeKeyframe(p)).isTrue();
                try (Mat got = d.toBgr(); Mat diff = new Mat()) {
                    absdiff(got, expected.get(k), diff);
                    assertThat(countNonZero(diff.reshape(1, 0))).as("differing pixels, keyframe " + k).isZero();
                }
                pool.give(d, true);
                return k + 1;
            } finally {
                c.unref();
            }
        }
        throw new AssertionError("the stream ended before keyframe " + k);
    }

    @Test
    void a_decoder_whose_look_failed_is_not_kept_and_extra_ones_are_closed() throws Exception {
        Path a = camera("testsrc");
        try (DecoderPool pool = new DecoderPool(1, 640, 360); StreamConnection c = open(a)) {
            PacketDecoder one = pool.take(c.video());
            PacketDecoder two = pool.take(c.video());
            assertThat(one).isNotSameAs(two);
            pool.give(one, false);
            assertThat(pool.idle()).isZero();
            pool.give(two, true);
            assertThat(pool.idle()).isEqualTo(1);
            PacketDecoder three = pool.take(c.video());
            assertThat(three).isSameAs(two);
            PacketDecoder four = pool.take(c.video());
            pool.give(three, true);
            pool.give(four, true);
            assertThat(pool.idle()).as("capacity 1: the longest idle is closed").isEqualTo(1);
        }
    }
}

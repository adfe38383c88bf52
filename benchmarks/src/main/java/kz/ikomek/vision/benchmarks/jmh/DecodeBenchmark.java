package kz.ikomek.vision.benchmarks.jmh;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.benchmarks.decode.DecodeBench;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.IngestOptions;
import kz.ikomek.vision.ingest.IngestService;
import kz.ikomek.vision.ingest.quality.PictureCheck;
import kz.ikomek.vision.ingest.session.PacketDecoder;
import kz.ikomek.vision.ingest.session.StreamConnection;
import kz.ikomek.vision.ingest.session.StreamException;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One pass over the same 640x360 H.264 file (25 fps, a keyframe every 2 s; by default 2 minutes of ffmpeg's
 * test card: 60 keyframes, 3,000 frames; made by {@link DecodeBench#makeVideo}), two ways, each opening the file:
 * <ul>
 *   <li>{@link #sessionKeyframes}: what a camera session does when its cadence is no faster than the GOP: ingest's
 *   {@link StreamConnection} demuxes, non-key packets are never decoded, {@link PacketDecoder} decodes each keyframe
 *   alone and scales it straight to BGR, {@link PictureCheck} looks at it. The session's threads, mailbox and
 *   health bookkeeping are left out: they are not decode.</li>
 *   <li>{@link #javacvFullDecode}: JavaCV's grabber as its samples use it, {@code grabImage()} to the end: every
 *   frame decoded and converted to BGR.</li>
 * </ul>
 * Both decoders run one thread (a session's decoder does), so the time per pass is also CPU time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DecodeBenchmark {

    /** Length of the file in minutes: a pass must outweigh opening and probing it, which both sides pay once. */
    @Param({"2"})
    public int minutes;

    /** ffmpeg's lavfi source: testsrc (a test card with a moving counter) or mandelbrot (a moving fractal). */
    @Param({"testsrc"})
    public String source;

    private final IngestOptions options = IngestOptions.defaults();
    private Path dir;
    private Path video;

    @Setup(Level.Trial)
    public void makeFile() throws Exception {
        IngestService.loadNatives();
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);   // as StreamConnection does: no per-frame warnings on stderr
        dir = Files.createTempDirectory("jmh-decode");
        video = DecodeBench.makeVideo(dir, source, minutes);
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws Exception {
        DecodeBench.deleteAll(dir);
    }

    /** @return the keyframes decoded, plus what the picture check said (so nothing is dead code) */
    @Benchmark
    public long sessionKeyframes() throws StreamException {
        long seen = 0;
        try (StreamConnection conn = StreamConnection.open(video.toString(), CameraSource.Transport.TCP,
                options.connectTimeout(), options.readTimeout(), () -> false);
             PacketDecoder decoder = new PacketDecoder(conn.video(), options.maxWidth(), options.maxHeight());
             PictureCheck check = new PictureCheck(options.frozenAfter())) {
            while (true) {
                AVPacket p;
                try {
                    p = conn.read();
                } catch (StreamException e) {
                    if (e.averror() == avutil.AVERROR_EOF) {
                        return seen;
                    }
                    throw e;
                }
                try {
                    if (conn.isVideo(p) && (p.flags() & AV_PKT_FLAG_KEY) != 0 && decoder.decodeKeyframe(p)) {
                        try (Mat bgr = decoder.toBgr()) {
                            seen += 1 + check.check(bgr, seen * 2_000_000_000L).ordinal();
                        }
                    }
                } finally {
                    conn.unref();
                }
            }
        }
    }

    /** @return the frames decoded */
    @Benchmark
    public long javacvFullDecode() throws Exception {
        long frames = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toString())) {
            grabber.setVideoOption("threads", "1");
            grabber.start();
            for (Frame f; (f = grabber.grabImage()) != null; ) {
                frames += f.imageWidth > 0 ? 1 : 0;
            }
            grabber.stop();
        }
        return frames;
    }
}

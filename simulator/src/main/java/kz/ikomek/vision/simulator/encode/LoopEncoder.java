package kz.ikomek.vision.simulator.encode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.io.ByteArrayOutputStream;
import kz.ikomek.vision.simulator.scene.Scenario;
import kz.ikomek.vision.simulator.scene.StreetScene;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;

/**
 * Renders one scenario on one street and encodes it once into an in-memory H.264 loop. Uses
 * libx264 (baseline, zerolatency) when the JavaCV FFmpeg build has it, else libopenh264
 * (constrained baseline), which the default LGPL build ships.
 */
public final class LoopEncoder {

    private LoopEncoder() {
    }

    /** The H.264 encoder this JavaCV build offers, preferring libx264. */
    public static String encoderName() {
        return avcodec_find_encoder_by_name("libx264") != null ? "libx264" : "libopenh264";
    }

    public static VideoLoop encode(Scenario scenario, long seed, double seconds, int fps, int gop) {
        return VideoLoop.parse(scenario, seed, fps, encoderName(), encodeAnnexB(scenario, seed, seconds, fps, gop));
    }

    /** The loop as an H.264 Annex B byte stream: whole GOPs, starting with a keyframe. */
    public static byte[] encodeAnnexB(Scenario scenario, long seed, double seconds, int fps, int gop) {
        int frames = (int) Math.round(seconds * fps);
        // A loop must wrap onto a keyframe, so it holds whole GOPs.
        frames = Math.max(gop, frames - frames % gop);
        av_log_set_level(AV_LOG_ERROR);
        String codec = encoderName();
        ByteArrayOutputStream out = new ByteArrayOutputStream(frames * 12_000);
        try (StreetScene scene = new StreetScene(scenario, seed);
             OpenCVFrameConverter.ToMat convert = new OpenCVFrameConverter.ToMat();
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out, StreetScene.WIDTH, StreetScene.HEIGHT, 0)) {
            rec.setFormat("h264");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setVideoCodecName(codec);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setGopSize(gop);
            rec.setVideoBitrate(700_000);
            if (codec.equals("libx264")) {
                rec.setVideoOption("preset", "veryfast");
                rec.setVideoOption("tune", "zerolatency");
                rec.setVideoOption("profile", "baseline");
                rec.setVideoOption("x264-params", "keyint=" + gop + ":min-keyint=" + gop
                        + ":scenecut=0:repeat-headers=1:threads=1");
            } else {
                // Every rendered frame must become a picture, or the loop would lose its length.
                rec.setVideoOption("allow_skip_frames", "0");
                rec.setVideoOption("profile", "constrained_baseline");
                rec.setVideoOption("rc_mode", "bitrate");
            }
            rec.start();
            for (int i = 0; i < frames; i++) {
                rec.record(convert.convert(scene.render(i / (double) fps)), AV_PIX_FMT_BGR24);
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("encoding " + scenario + " seed " + seed + " with " + codec + " failed", e);
        }
        return out.toByteArray();
    }
}

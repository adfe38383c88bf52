package kz.ikomek.vision.ingest.session;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes the packets ingest chooses (keyframes alone, or every packet when the cadence needs more
 * frames than the keyframes give) and scales the chosen frames once, straight into a BGR {@link Mat}
 * of analytics size: no intermediate RGB frame, no clone.
 */
public final class PacketDecoder implements AutoCloseable {

    private static final int EAGAIN = -11;   // AVERROR(EAGAIN) on Linux

    private final AVCodecContext codec;
    private final AVFrame frame;
    private final AVFrame scratch;
    private final int maxWidth;
    private final int maxHeight;
    private final PointerPointer<?> dstData = new PointerPointer<>(4);
    private final IntPointer dstStride = new IntPointer(4);
    private final String poolKey;
    private SwsContext scaler;
    private boolean hasFrame;

    public PacketDecoder(AVStream stream, int maxWidth, int maxHeight) throws StreamException {
        this(stream, maxWidth, maxHeight, null);
    }

    /** @param poolKey the {@link DecoderPool}'s name for the stream parameters it was opened for; null: not pooled */
    PacketDecoder(AVStream stream, int maxWidth, int maxHeight, String poolKey) throws StreamException {
        this.poolKey = poolKey;
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        int codecId = stream.codecpar().codec_id();
        AVCodec decoder = avcodec_find_decoder(codecId);
        if (decoder == null) {
            throw new StreamException(StreamFailure.NO_VIDEO, avutil.AVERROR_DECODER_NOT_FOUND, "no decoder for codec id " + codecId);
        }
        AVCodecContext c = avcodec_alloc_context3(decoder);
        int ret = avcodec_parameters_to_context(c, stream.codecpar());
        if (ret >= 0) {
            // One thread: sessions run side by side, and the decode permits bound the cores in use.
            c.thread_count(1);
            // No deblocking: it smooths block edges for the eye, and was 14% of decoding a keyframe of our cameras
            // (ffmpeg -skip_frame nokey on the simulator's 640x360 stream, 2.4 vs 2.1 ms); detectors look at a 224 px
            // crop where 4x4 block edges of a keyframe are below their notice.
            c.skip_loop_filter(avcodec.AVDISCARD_ALL);
            ret = avcodec_open2(c, decoder, (PointerPointer<?>) null);
        }
        if (ret < 0) {
            avcodec_free_context(c);
            throw new StreamException(StreamFailure.NO_VIDEO, ret, "could not open the decoder: " + StreamConnection.errorText(ret));
        }
        this.codec = c;
        this.frame = av_frame_alloc();
        this.scratch = av_frame_alloc();
    }

    String poolKey() {
        return poolKey;
    }

    /**
     * Decodes one keyframe on its own: send it, drain the decoder so the picture comes out now
     * (instead of after the next packet when the stream has B-frames), and reset for the next one.
     *
     * @return true when a picture is ready for {@link #toBgr()}
     */
    public boolean decodeKeyframe(AVPacket key) {
        hasFrame = false;
        av_frame_unref(frame);
        int ret = avcodec_send_packet(codec, key);
        if (ret < 0 && ret != EAGAIN) {
            avcodec_flush_buffers(codec);
            return false;   // a damaged keyframe: skip it, the next one may be fine
        }
        ret = avcodec_receive_frame(codec, frame);
        if (ret == EAGAIN) {
            avcodec_send_packet(codec, null);   // drain
            ret = avcodec_receive_frame(codec, frame);
        }
        avcodec_flush_buffers(codec);
        hasFrame = ret >= 0;
        return hasFrame;
    }

    /**
     * Feeds one packet of a fully decoded stream.
     *
     * @return true when the packet completed a picture (available to {@link #toBgr()} until the next call)
     */
    public boolean decode(AVPacket packet) {
        int ret = avcodec_send_packet(codec, packet);
        if (ret < 0 && ret != EAGAIN) {
            return false;   // a damaged packet; the decoder conceals and goes on with the next
        }
        boolean got = false;
        // receive_frame unrefs its target first, so pictures land in a scratch frame and only a
        // complete one replaces the kept picture (rarely one packet yields two: keep the newest).
        while (avcodec_receive_frame(codec, scratch) >= 0) {
            av_frame_unref(frame);
            av_frame_move_ref(frame, scratch);
            got = true;
        }
        hasFrame = got;
        return got;
    }

    /** Restarts decoding (after switching from keyframes-only to every packet). */
    public void reset() {
        avcodec_flush_buffers(codec);
        hasFrame = false;
    }

    /** Width and height of the analytics image for a source of the given size: fit inside, never enlarge. */
    public static int[] fit(int width, int height, int maxWidth, int maxHeight) {
        double scale = Math.min(1.0, Math.min((double) maxWidth / width, (double) maxHeight / height));
        int w = Math.max(2, (int) Math.round(width * scale)) & ~1;
        int h = Math.max(2, (int) Math.round(height * scale)) & ~1;
        return new int[] {w, h};
    }

    /** The last decoded picture as a new BGR Mat of analytics size, owned by the caller. */
    public Mat toBgr() {
        if (!hasFrame) {
            throw new IllegalStateException("no decoded picture");
        }
        int w = frame.width();
        int h = frame.height();
        int[] size = fit(w, h, maxWidth, maxHeight);
        int flags = size[0] < w ? SWS_AREA : SWS_BILINEAR;
        scaler = sws_getCachedContext(scaler, w, h, frame.format(), size[0], size[1], avutil.AV_PIX_FMT_BGR24, flags,
                null, null, (double[]) null);
        if (scaler == null) {
            throw new IllegalStateException("cannot convert pixel format " + frame.format() + " to BGR");
        }
        Mat bgr = new Mat(size[1], size[0], CV_8UC3);
        dstData.put(0, bgr.data());
        dstStride.put(0, (int) bgr.step());
        sws_scale(scaler, frame.data(), frame.linesize(), 0, h, dstData, dstStride);
        return bgr;
    }

    @Override
    public void close() {
        av_frame_free(frame);
        av_frame_free(scratch);
        avcodec_free_context(codec);
        if (scaler != null) {
            sws_freeContext(scaler);
            scaler = null;
        }
        dstData.close();
        dstStride.close();
    }
}

package kz.ikomek.vision.ingest.session;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import kz.ikomek.vision.config.Urls;
import kz.ikomek.vision.ingest.CameraSource;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One open stream, opened and demuxed by FFmpeg's libavformat directly (with timeouts and the interrupt
 * callback on every blocking call); packets are read here so that ingest decides which ones are worth
 * decoding. Not JavaCV's grabber: it opens the context itself, too late to hand it the interrupt callback,
 * and it opens a decoder and picture buffers of its own that ingest never uses.
 */
public final class StreamConnection implements AutoCloseable {

    static {
        // FFmpeg prints to stderr by default, URLs with credentials included; failures reach us as codes.
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    }

    private final String maskedUrl;
    private final AVFormatContext context;
    private final AVStream video;
    private final int videoIndex;
    private final AVPacket packet;
    private final BytePointer gateToken;
    private final boolean file;

    private StreamConnection(String maskedUrl, AVFormatContext context, BytePointer gateToken, int videoIndex, boolean file) {
        this.maskedUrl = maskedUrl;
        this.context = context;
        this.videoIndex = videoIndex;
        this.video = context.streams(videoIndex);
        this.packet = av_packet_alloc();
        this.gateToken = gateToken;
        this.file = file;
    }

    /**
     * Opens {@code url}. Blocks at most about {@code connectTimeout} in FFmpeg's network code; the
     * caller's watchdog covers the rest.
     *
     * @param stop polled by FFmpeg during every blocking call, the open included; true makes the call
     *             return (session stopped or abandoned, or the caller's deadline passed)
     */
    public static StreamConnection open(String url, CameraSource.Transport transport, Duration connectTimeout,
                                        Duration readTimeout, BooleanSupplier stop) throws StreamException {
        return open(url, transport, connectTimeout, readTimeout, stop, null);
    }

    /**
     * Opens {@code url} with a native stop flag instead of a Java predicate: what camera sessions use, as FFmpeg polls
     * the callback tens of times per packet. Whoever watches the deadlines trips the flag; it must outlive the
     * connection.
     */
    public static StreamConnection open(String url, CameraSource.Transport transport, Duration connectTimeout,
                                        Duration readTimeout, StopFlag stop) throws StreamException {
        return open(url, transport, connectTimeout, readTimeout, null, stop);
    }

    private static StreamConnection open(String url, CameraSource.Transport transport, Duration connectTimeout,
                                         Duration readTimeout, BooleanSupplier stop, StopFlag flag) throws StreamException {
        String masked = Urls.mask(url);
        String scheme = scheme(url);
        boolean file = scheme.isEmpty() || scheme.equals("file");
        long readMicros = readTimeout.toNanos() / 1000;
        long connectMicros = connectTimeout.toNanos() / 1000;
        AVDictionary options = new AVDictionary(null);
        switch (scheme) {
            case "rtsp", "rtsps" -> {
                // TCP, not UDP: one lost packet smears a whole keyframe, and we decode keyframes only.
                av_dict_set(options, "rtsp_transport", transport == CameraSource.Transport.UDP ? "udp" : "tcp", 0);
                // Since FFmpeg 5 RTSP's "timeout" is the socket I/O timeout (the old "stimeout"); it
                // also bounds the TCP connect. rw_timeout is not read by the RTSP demuxer.
                av_dict_set(options, "timeout", Long.toString(Math.max(readMicros, connectMicros)), 0);
                av_dict_set(options, "allowed_media_types", "video", 0);
            }
            case "http", "https" -> {
                av_dict_set(options, "timeout", Long.toString(connectMicros), 0);   // socket connect/read
                av_dict_set(options, "rw_timeout", Long.toString(readMicros), 0);   // each protocol read (HLS segments too)
            }
            default -> {
                if (!file) {
                    av_dict_set(options, "rw_timeout", Long.toString(readMicros), 0);
                }
            }
        }
        // Bound stream probing: a camera that trickles bytes must not keep us in find_stream_info.
        av_dict_set(options, "analyzeduration", Long.toString(Math.min(connectMicros, 1_000_000L)), 0);
        av_dict_set(options, "probesize", Integer.toString(2 * 1024 * 1024), 0);

        // The interrupt callback goes on the context *before* it opens: each protocol (the RTSP control
        // connection, TCP, TLS) copies the callback when it is opened, so one set afterwards (as on a
        // context that JavaCV's grabber opened) never reaches the socket reads of an RTSP stream. Without
        // it a server that keeps sending junk holds a read for as long as it likes; only the watchdog ended it.
        AVFormatContext context = avformat_alloc_context();
        BytePointer gate = null;
        if (flag != null) {
            InterruptGate.install(context, flag);
        } else {
            gate = InterruptGate.install(context, stop);
        }
        int ret = avformat_open_input(context, url, null, options);
        av_dict_free(options);
        if (ret < 0) {
            // avformat_open_input frees the context on failure.
            InterruptGate.remove(gate);
            throw new StreamException(StreamFailure.of(ret), ret, masked + ": could not open: " + errorText(ret));
        }
        ret = avformat_find_stream_info(context, (PointerPointer<?>) null);
        if (ret < 0) {
            release(context, gate);
            throw new StreamException(ret == AVERROR_EXIT ? StreamFailure.TIMEOUT : StreamFailure.NO_VIDEO, ret,
                    masked + ": could not read the stream's format: " + errorText(ret));
        }
        int videoIndex = -1;
        for (int i = 0; i < context.nb_streams(); i++) {
            if (context.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                videoIndex = i;
                break;
            }
        }
        if (videoIndex < 0) {
            release(context, gate);
            throw new StreamException(StreamFailure.NO_VIDEO, 0, masked + ": the stream has no video track");
        }
        return new StreamConnection(masked, context, gate, videoIndex, file);
    }

    /**
     * Reads the next packet of any stream into {@link #packet()}. The caller must {@link #unref()} it.
     *
     * @throws StreamException at end of stream, on a read timeout, or when the stream breaks
     */
    public AVPacket read() throws StreamException {
        int ret = av_read_frame(context, packet);
        if (ret < 0) {
            av_packet_unref(packet);
            throw new StreamException(StreamFailure.of(ret), ret, maskedUrl + ": read failed: " + errorText(ret));
        }
        return packet;
    }

    public void unref() {
        av_packet_unref(packet);
    }

    public boolean isVideo(AVPacket p) {
        return p.stream_index() == videoIndex;
    }

    public AVStream video() {
        return video;
    }

    public boolean isFile() {
        return file;
    }

    public String maskedUrl() {
        return maskedUrl;
    }

    /** "h264", "hevc", "mjpeg", ... */
    public String codecName() {
        return avcodec_get_name(video.codecpar().codec_id()).getString();
    }

    public int width() {
        return video.codecpar().width();
    }

    public int height() {
        return video.codecpar().height();
    }

    /** The nominal frame rate the container/SDP announces; 0 when unknown. */
    public double nominalFps() {
        AVRational r = video.avg_frame_rate();
        if (r.num() == 0 || r.den() == 0) {
            r = video.r_frame_rate();
        }
        return r.num() == 0 || r.den() == 0 ? 0 : (double) r.num() / r.den();
    }

    /** Seconds per pts tick of the video stream. */
    public double timeBase() {
        AVRational tb = video.time_base();
        return tb.den() == 0 ? 0 : (double) tb.num() / tb.den();
    }

    @Override
    public void close() {
        av_packet_free(packet);
        release(context, gateToken);
    }

    /** Closes the input (an RTSP TEARDOWN, bounded by the interrupt callback too), then drops its gate. */
    private static void release(AVFormatContext context, BytePointer gate) {
        avformat_close_input(context);
        InterruptGate.remove(gate);
    }

    static String scheme(String url) {
        int colon = url.indexOf("://");
        return colon <= 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    public static String errorText(int averror) {
        byte[] buf = new byte[256];
        av_strerror(averror, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + averror + ")";
    }
}

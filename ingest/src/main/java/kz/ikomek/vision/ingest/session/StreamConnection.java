package kz.ikomek.vision.ingest.session;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.ikomek.vision.config.Urls;
import kz.ikomek.vision.ingest.CameraSource;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * One open stream: JavaCV's grabber opens and demuxes it (with timeouts on every blocking call);
 * packets are read here so that ingest decides which ones are worth decoding.
 */
public final class StreamConnection implements AutoCloseable {

    private static final Pattern AV_ERROR = Pattern.compile("error (-?\\d+)");

    static {
        // FFmpeg prints to stderr by default, URLs with credentials included; failures reach us as codes.
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    }

    private final String maskedUrl;
    private final FFmpegFrameGrabber grabber;
    private final AVFormatContext context;
    private final AVStream video;
    private final int videoIndex;
    private final AVPacket packet;
    private final BytePointer gateToken;
    private final boolean file;

    private StreamConnection(String maskedUrl, FFmpegFrameGrabber grabber, int videoIndex, BooleanSupplier stop, boolean file) {
        this.maskedUrl = maskedUrl;
        this.grabber = grabber;
        this.context = grabber.getFormatContext();
        this.videoIndex = videoIndex;
        this.video = context.streams(videoIndex);
        this.packet = av_packet_alloc();
        this.gateToken = InterruptGate.install(context, stop);
        this.file = file;
    }

    /**
     * Opens {@code url}. Blocks at most about {@code connectTimeout} in FFmpeg's network code; the
     * caller's watchdog covers the rest.
     *
     * @param stop polled by FFmpeg during reads; true makes the read return (session stopped/abandoned)
     */
    public static StreamConnection open(String url, CameraSource.Transport transport, Duration connectTimeout,
                                        Duration readTimeout, BooleanSupplier stop) throws StreamException {
        String masked = Urls.mask(url);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url);
        String scheme = scheme(url);
        boolean file = scheme.isEmpty() || scheme.equals("file");
        long readMicros = readTimeout.toNanos() / 1000;
        long connectMicros = connectTimeout.toNanos() / 1000;
        switch (scheme) {
            case "rtsp", "rtsps" -> {
                // TCP, not UDP: one lost packet smears a whole keyframe, and we decode keyframes only.
                grabber.setOption("rtsp_transport", transport == CameraSource.Transport.UDP ? "udp" : "tcp");
                // Since FFmpeg 5 RTSP's "timeout" is the socket I/O timeout (the old "stimeout"); it
                // also bounds the TCP connect. rw_timeout is not read by the RTSP demuxer.
                grabber.setOption("timeout", Long.toString(Math.max(readMicros, connectMicros)));
                grabber.setOption("allowed_media_types", "video");
            }
            case "http", "https" -> {
                grabber.setOption("timeout", Long.toString(connectMicros));   // socket connect/read
                grabber.setOption("rw_timeout", Long.toString(readMicros));   // each protocol read (HLS segments too)
            }
            default -> {
                if (!file) {
                    grabber.setOption("rw_timeout", Long.toString(readMicros));
                }
            }
        }
        // Bound stream probing: a camera that trickles bytes must not keep us in find_stream_info.
        grabber.setOption("analyzeduration", Long.toString(Math.min(connectMicros, 1_000_000L)));
        grabber.setOption("probesize", Integer.toString(2 * 1024 * 1024));
        // The grabber opens a decoder of its own; we decode ourselves, so keep it from spawning threads.
        grabber.setVideoOption("threads", "1");
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        try {
            // start()/release() hold one JVM-wide lock (avcodec.class, from FFmpeg's old non-thread-safe
            // codec open): one camera stuck in a 10 s connect would queue every other camera behind it.
            // The *Unsafe variants lock only this grabber; avcodec_open2 is thread-safe in FFmpeg >= 4.
            grabber.startUnsafe();
        } catch (FrameGrabber.Exception e) {
            release(grabber);
            int code = averror(e.getMessage());
            throw new StreamException(code == 0 ? StreamFailure.LOST : StreamFailure.of(code), code,
                    masked + ": " + describe(e.getMessage(), url, masked, code));
        } catch (RuntimeException e) {
            release(grabber);
            throw new StreamException(StreamFailure.LOST, 0, masked + ": " + mask(String.valueOf(e.getMessage()), url, masked));
        }
        int videoIndex = -1;
        AVFormatContext oc = grabber.getFormatContext();
        for (int i = 0; i < oc.nb_streams(); i++) {
            if (oc.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                videoIndex = i;
                break;
            }
        }
        if (videoIndex < 0) {
            release(grabber);
            throw new StreamException(StreamFailure.NO_VIDEO, 0, masked + ": the stream has no video track");
        }
        return new StreamConnection(masked, grabber, videoIndex, stop, file);
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
        release(grabber);
        InterruptGate.remove(gateToken);
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.releaseUnsafe();   // see open(): no JVM-wide lock
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // Closing frees native memory even when the stream is already broken; nothing to report.
        }
    }

    static String scheme(String url) {
        int colon = url.indexOf("://");
        return colon <= 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    static int averror(String message) {
        if (message == null) {
            return 0;
        }
        Matcher m = AV_ERROR.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
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

    private static String describe(String message, String url, String masked, int code) {
        String what = code != 0 ? errorText(code) : mask(String.valueOf(message), url, masked);
        return "could not open: " + what;
    }

    private static String mask(String text, String url, String masked) {
        return Urls.mask(text.replace(url, masked));
    }
}

package kz.ikomek.vision.ingest.probe;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.Urls;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.session.PacketDecoder;
import kz.ikomek.vision.ingest.session.StreamConnection;
import kz.ikomek.vision.ingest.session.StreamException;
import kz.ikomek.vision.ingest.session.StreamFailure;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Connects to one camera, decodes a keyframe to prove the video is usable, and reads packets for a
 * few seconds (within the timeout) to measure the keyframe interval.
 */
public final class CameraProbe {

    private static final Pattern NETWORK_URL = Pattern.compile("(?i)^(rtsps?|https?)://([^/@\\s]*@)?([^/:@\\s]+|\\[[0-9a-f:.]+\\])(:\\d{1,5})?(/\\S*)?$");
    private static final long MEASURE_NANOS = 4_000_000_000L;
    private static final int KEYFRAMES_WANTED = 3;

    private CameraProbe() {
    }

    /** Rejects what is not a camera URL (exit 2 on the command line); the message masks credentials. */
    public static void checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new BadInputException("URL: empty; expected rtsp://[user:pass@]host[:port]/path (or rtsps, http, https, a file)");
        }
        String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (scheme.equals("file")) {
            return;
        }
        if (scheme.isEmpty()) {
            if (Files.isRegularFile(Path.of(url))) {
                return;
            }
            throw new BadInputException("URL: '" + Urls.mask(url) + "' is neither a camera URL nor an existing file;"
                    + " expected rtsp://[user:pass@]host[:port]/path");
        }
        if (!NETWORK_URL.matcher(url).matches()) {
            throw new BadInputException("URL: '" + Urls.mask(url) + "' is malformed; expected rtsp://[user:pass@]host[:port]/path"
                    + " (schemes: rtsp, rtsps, http, https, file)");
        }
        int colon = url.lastIndexOf(':');
        String portPart = url.replaceFirst("(?i)^[a-z]+://([^/@\\s]*@)?[^/:@\\s]+:?(\\d*).*$", "$2");
        if (!portPart.isEmpty() && (Integer.parseInt(portPart) < 1 || Integer.parseInt(portPart) > 65535) && colon > 0) {
            throw new BadInputException("URL: '" + Urls.mask(url) + "': port " + portPart + " is out of range 1..65535");
        }
    }

    /**
     * Probes {@code url} and answers within {@code timeout} (plus a few milliseconds). Never throws for a
     * camera's failure: the report says it. FFmpeg's socket timeouts apply per request (an RTSP open
     * makes several), so the probe runs on its own thread and is left to finish on its own when the
     * deadline passes; it then frees its resources by itself.
     */
    public static ProbeReport probe(String url, Duration timeout, CameraSource.Transport transport) {
        checkUrl(url);
        CompletableFuture<ProbeReport> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(probeNow(url, timeout, transport));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "probe");
        worker.setDaemon(true);
        worker.start();
        try {
            return result.get(timeout.toMillis() + 250, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new ProbeReport(Urls.mask(url), ProbeReport.TIMEOUT, null, null, null, null, null, null,
                    "no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeReport(Urls.mask(url), ProbeReport.TIMEOUT, null, null, null, null, null, null, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static ProbeReport probeNow(String url, Duration timeout, CameraSource.Transport transport) {
        String masked = Urls.mask(url);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        StreamConnection conn;
        try {
            conn = StreamConnection.open(url, transport, timeout, timeout, () -> System.nanoTime() > deadline);
        } catch (StreamException e) {
            return failure(masked, e, null, null, null, null, null, System.nanoTime() >= deadline);
        }
        long connectMillis = (System.nanoTime() - start) / 1_000_000;
        try (conn) {
            String codec = conn.codecName();
            int width = conn.width();
            int height = conn.height();
            double nominalFps = conn.nominalFps();
            double timeBase = conn.timeBase();
            long measureUntil = Math.min(deadline, System.nanoTime() + MEASURE_NANOS);
            int keyframes = 0;
            int videoPackets = 0;
            int packetsAtFirstKey = -1;
            int packetsAtLastKey = -1;
            long firstPts = AV_NOPTS_VALUE;
            long lastPts = AV_NOPTS_VALUE;
            boolean picture = false;
            StreamException readFailure = null;
            try (PacketDecoder decoder = new PacketDecoder(conn.video(), 640, 360)) {
                while (System.nanoTime() < measureUntil && (keyframes < KEYFRAMES_WANTED || !picture)) {
                    AVPacket p;
                    try {
                        p = conn.read();
                    } catch (StreamException e) {
                        readFailure = e;
                        break;
                    }
                    try {
                        if (!conn.isVideo(p)) {
                            continue;
                        }
                        if (p.pts() != AV_NOPTS_VALUE) {
                            if (firstPts == AV_NOPTS_VALUE) {
                                firstPts = p.pts();
                            }
                            lastPts = p.pts();
                        }
                        if ((p.flags() & AV_PKT_FLAG_KEY) != 0) {
                            keyframes++;
                            if (packetsAtFirstKey < 0) {
                                packetsAtFirstKey = videoPackets;
                            }
                            packetsAtLastKey = videoPackets;
                            if (!picture) {
                                picture = decoder.decodeKeyframe(p);
                            }
                        }
                        videoPackets++;
                    } finally {
                        conn.unref();
                    }
                }
            } catch (StreamException e) {
                return failure(masked, e, codec, width, height, null, connectMillis, false);
            }
            Double fps = nominalFps > 0 ? round(nominalFps) : null;
            if (fps == null && videoPackets > 1 && lastPts > firstPts && timeBase > 0) {
                fps = round((videoPackets - 1) / ((lastPts - firstPts) * timeBase));
            }
            Integer keyInterval = keyframes >= 2
                    ? (int) Math.round((double) (packetsAtLastKey - packetsAtFirstKey) / (keyframes - 1)) : null;
            if (picture) {
                return new ProbeReport(masked, ProbeReport.OK, codec, width, height, fps, keyInterval, connectMillis, null);
            }
            if (readFailure != null && readFailure.failure() != StreamFailure.TIMEOUT) {
                return failure(masked, readFailure, codec, width, height, fps, connectMillis, false);
            }
            String why = videoPackets == 0 ? "no video packets" : keyframes == 0 ? "no keyframe" : "no decodable keyframe";
            String status = System.nanoTime() >= deadline || readFailure != null ? ProbeReport.TIMEOUT : ProbeReport.NO_VIDEO;
            return new ProbeReport(masked, status, codec, width, height, fps, keyInterval, connectMillis,
                    why + " within " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        }
    }

    private static ProbeReport failure(String masked, StreamException e, String codec, Integer width, Integer height,
                                       Double fps, Long connectMillis, boolean pastDeadline) {
        // A camera that accepts the connection and then says nothing makes FFmpeg give up with
        // "invalid data" once its socket timeout passes: that is a timeout, not a broken stream.
        String status = pastDeadline ? ProbeReport.TIMEOUT : switch (e.failure()) {
            case UNAUTHORIZED -> ProbeReport.UNAUTHORIZED;
            case UNREACHABLE -> ProbeReport.UNREACHABLE;
            case TIMEOUT -> ProbeReport.TIMEOUT;
            case NO_VIDEO, LOST -> ProbeReport.NO_VIDEO;
        };
        return new ProbeReport(masked, status, codec, width, height, fps, null, connectMillis, e.getMessage());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

package kz.ikomek.vision.ingest.probe;

import io.vertx.core.json.JsonObject;

/**
 * What {@code ikomek-vision probe} prints. Fields are null when the probe did not get that far.
 *
 * @param url              the URL, credentials masked
 * @param status           ok, unreachable, unauthorized, no_video or timeout
 * @param codec            video codec name (h264, hevc, mjpeg, ...)
 * @param width            coded width in pixels
 * @param height           coded height in pixels
 * @param fps              frames per second (announced by the stream, else measured)
 * @param keyframeInterval frames from one keyframe to the next, measured on the packets read
 * @param connectMillis    time to open the stream (connect, handshake, codec probe)
 * @param error            what went wrong, credentials masked; null when ok
 */
public record ProbeReport(String url, String status, String codec, Integer width, Integer height, Double fps,
                          Integer keyframeInterval, Long connectMillis, String error) {

    public static final String OK = "ok";
    public static final String UNREACHABLE = "unreachable";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String NO_VIDEO = "no_video";
    public static final String TIMEOUT = "timeout";

    public boolean ok() {
        return OK.equals(status);
    }

    /** One JSON object, keys in the documented order. */
    public String toJson() {
        return new JsonObject()
                .put("url", url)
                .put("status", status)
                .put("codec", codec)
                .put("width", width)
                .put("height", height)
                .put("fps", fps)
                .put("keyframeInterval", keyframeInterval)
                .put("connectMillis", connectMillis)
                .put("error", error)
                .encode();
    }
}

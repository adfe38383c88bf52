package kz.ikomek.vision.ingest.health;

import java.util.Arrays;
import java.util.Optional;

/** What a camera is doing now. {@link #wireName()} is the name in JSON and on the console. */
public enum CameraState {
    /** Opening the stream (TCP connect, RTSP DESCRIBE/SETUP, probing the codec). */
    CONNECTING("connecting"),
    /** Frames arrive and look like a scene. */
    STREAMING("streaming"),
    /** The last attempt failed; waiting before the next one. */
    BACKOFF("backoff"),
    /** The camera answered 401/403: the credentials are wrong. */
    UNAUTHORIZED("unauthorized"),
    /** Nothing answers at that address (refused, no route, unknown host, connect timeout). */
    UNREACHABLE("unreachable"),
    /** The camera answers but sends no decodable video. */
    NO_VIDEO("no_video"),
    /** Frames arrive but the picture does not change. */
    FROZEN("frozen"),
    /** Frames arrive but are (nearly) black. */
    BLACK("black"),
    /** Frames arrive but the lens is covered or out of focus: flat, no detail. */
    COVERED("covered"),
    /** The stream stopped delivering mid-session; the watchdog replaced the session. */
    STALLED("stalled");

    private final String wireName;

    CameraState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True when frames are flowing (even if the picture is unusable). */
    public boolean delivering() {
        return this == STREAMING || this == FROZEN || this == BLACK || this == COVERED;
    }

    public static Optional<CameraState> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}

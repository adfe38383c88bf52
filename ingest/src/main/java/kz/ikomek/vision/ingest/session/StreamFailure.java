package kz.ikomek.vision.ingest.session;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_DECODER_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_FORBIDDEN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_UNAUTHORIZED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_STREAM_NOT_FOUND;

import kz.ikomek.vision.ingest.health.CameraState;

/** Why a stream could not be opened or read, told from FFmpeg's error code. */
public enum StreamFailure {
    UNAUTHORIZED(CameraState.UNAUTHORIZED),
    UNREACHABLE(CameraState.UNREACHABLE),
    TIMEOUT(CameraState.UNREACHABLE),
    NO_VIDEO(CameraState.NO_VIDEO),
    /** The stream opened but ended or broke (server gone, connection reset). */
    LOST(CameraState.BACKOFF);

    // Linux errno values; FFmpeg returns AVERROR(e) = -e.
    private static final int ENOENT = 2;
    private static final int EIO = 5;              // FFmpeg's answer to a failed name lookup
    private static final int ENETUNREACH = 101;
    private static final int ECONNRESET = 104;
    private static final int ETIMEDOUT = 110;
    private static final int ECONNREFUSED = 111;
    private static final int EHOSTUNREACH = 113;

    private final CameraState state;

    StreamFailure(CameraState state) {
        this.state = state;
    }

    /** The health state a camera shows while this failure lasts. */
    public CameraState state() {
        return state;
    }

    /** Classifies an FFmpeg error code (negative). */
    public static StreamFailure of(int averror) {
        if (averror == AVERROR_HTTP_UNAUTHORIZED || averror == AVERROR_HTTP_FORBIDDEN) {
            return UNAUTHORIZED;
        }
        if (averror == AVERROR_EXIT || averror == -ETIMEDOUT) {
            return TIMEOUT;
        }
        if (averror == -ECONNREFUSED || averror == -EHOSTUNREACH || averror == -ENETUNREACH || averror == -EIO
                || averror == -ENOENT) {
            return UNREACHABLE;
        }
        if (averror == AVERROR_STREAM_NOT_FOUND || averror == AVERROR_DECODER_NOT_FOUND || averror == AVERROR_INVALIDDATA
                || averror == AVERROR_HTTP_NOT_FOUND) {
            return NO_VIDEO;
        }
        if (averror == AVERROR_EOF || averror == -ECONNRESET) {
            return LOST;
        }
        return LOST;
    }
}

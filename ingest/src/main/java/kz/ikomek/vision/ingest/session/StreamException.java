package kz.ikomek.vision.ingest.session;

/** A stream failed; the message names the stream (credentials masked) and what FFmpeg said. */
public final class StreamException extends Exception {

    private final StreamFailure failure;
    private final int averror;

    public StreamException(StreamFailure failure, int averror, String message) {
        super(message);
        this.failure = failure;
        this.averror = averror;
    }

    public StreamFailure failure() {
        return failure;
    }

    /** FFmpeg's error code, 0 when the failure did not come from FFmpeg. */
    public int averror() {
        return averror;
    }
}

package kz.ikomek.vision.detectors;

/** A detector could not score a batch (model failure, bad frame). */
public class DetectorException extends Exception {
    public DetectorException(String message, Throwable cause) {
        super(message, cause);
    }
}

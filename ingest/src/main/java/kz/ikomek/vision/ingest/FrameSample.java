package kz.ikomek.vision.ingest;

import java.time.Instant;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One decoded frame of one camera, handed from ingest to the detectors.
 * The image is native memory (BGR, analytics size): whoever consumes the sample last closes it.
 *
 * @param cameraId   the camera's configured id
 * @param capturedAt when the frame was grabbed
 * @param image      a BGR image owned by this sample
 * @param dueZones   ids of the camera's zones whose detectors are due now
 */
public record FrameSample(String cameraId, Instant capturedAt, Mat image, Set<String> dueZones) implements AutoCloseable {

    @Override
    public void close() {
        image.close();
    }
}

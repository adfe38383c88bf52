package kz.ikomek.vision.detectors.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kz.ikomek.vision.detectors.model.InputSpec;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A frame with its zone crops made at most once per (zone, input spec): every detector and model that reads
 * the zone shares the same pre-processing. Does not own the image; valid while the frame's owner keeps it open.
 */
public final class PreparedFrame {

    private final Mat bgr;
    private final Map<Key, ZoneCrop> crops = new ConcurrentHashMap<>();

    private record Key(String zoneId, InputSpec spec) {
    }

    public PreparedFrame(Mat bgr) {
        this.bgr = bgr;
    }

    public Mat image() {
        return bgr;
    }

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    public ZoneCrop crop(Zone zone, InputSpec spec) {
        return crops.computeIfAbsent(new Key(zone.id(), spec), k -> ZoneCrop.of(bgr, zone, spec));
    }

    /** How many distinct crops were made: the tests' proof that pre-processing is shared. */
    public int cropsMade() {
        return crops.size();
    }
}

package kz.ikomek.vision.detectors.inference;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import kz.ikomek.vision.detectors.model.InputSpec;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A frame with its zone crops made at most once per (zone, input spec), and each model's result at most once per
 * zone: every detector and model that reads the zone shares the same pre-processing and inference. Does not own the image; valid while the frame's owner keeps it open.
 */
public final class PreparedFrame {

    private final Mat bgr;
    private final Map<Key, ZoneCrop> crops = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<?>> results = new ConcurrentHashMap<>();

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

    /**
     * One model's result on one zone, computed once however many detectors ask: with one model covering four
     * types, the four detectors share one inference.
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> result(String zoneId, String modelName, Supplier<CompletableFuture<T>> compute) {
        return (CompletableFuture<T>) results.computeIfAbsent(zoneId + "\u0000" + modelName, k -> compute.get());
    }

    /** How many distinct crops were made: the tests' proof that pre-processing is shared. */
    public int cropsMade() {
        return crops.size();
    }
}

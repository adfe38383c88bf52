package kz.ikomek.vision.detectors.evidence;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.polylines;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;

import java.time.Instant;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Evidence JPEGs: the frame scaled to fit 640×360 (the analytics sub-stream size, so usually not scaled at all),
 * the zone outlined in yellow, the box in red, quality 75. That is 30–60 KB for a street scene, so a year of
 * thousands a day fits on one disk; the SHA-256 of the bytes is the name, so the same picture is stored once.
 */
public final class EvidenceRenderer {

    public static final int MAX_WIDTH = 640;
    public static final int MAX_HEIGHT = 360;
    public static final int QUALITY = 75;

    // Colours are made per call, never static: a native Scalar first touched inside a caller's PointerScope
    // would be freed with it.
    private static Scalar zoneColour() {
        return new Scalar(0, 220, 255, 0);   // BGR yellow
    }

    private static Scalar boxColour() {
        return new Scalar(0, 0, 255, 0);     // BGR red
    }

    private EvidenceRenderer() {
    }

    /** The whole frame with the zone outline and (when not null) the box, box in frame pixels. */
    public static Evidence frame(String role, Instant at, Mat bgr, Zone zone, Box box) {
        try (PointerScope scope = new PointerScope()) {
            double f = Math.min(1.0, Math.min((double) MAX_WIDTH / bgr.cols(), (double) MAX_HEIGHT / bgr.rows()));
            Mat small = new Mat();
            if (f < 1.0) {
                resize(bgr, small, new Size((int) Math.round(bgr.cols() * f), (int) Math.round(bgr.rows() * f)), 0, 0,
                        INTER_AREA);
            } else {
                bgr.copyTo(small);
            }
            if (zone != null) {
                outline(small, zone);
            }
            if (box != null) {
                rectangle(small, new Rect((int) (box.x() * f), (int) (box.y() * f), Math.max(1, (int) (box.width() * f)),
                        Math.max(1, (int) (box.height() * f))), boxColour(), 2, LINE_AA, 0);
            }
            return encode(role, at, small);
        }
    }

    /** A crop of the frame (the vehicle for the police), scaled to fit, no drawing. */
    public static Evidence crop(String role, Instant at, Mat bgr, Box box) {
        try (PointerScope scope = new PointerScope()) {
            int x = Math.max(0, box.x());
            int y = Math.max(0, box.y());
            int w = Math.max(1, Math.min(bgr.cols() - x, box.width()));
            int h = Math.max(1, Math.min(bgr.rows() - y, box.height()));
            return frame(role, at, new Mat(bgr, new Rect(x, y, w, h)), null, null);
        }
    }

    private static void outline(Mat img, Zone zone) {
        Mat pts = new Mat(zone.polygon().size(), 1, CV_32SC2);
        try (IntIndexer idx = pts.createIndexer()) {
            for (int i = 0; i < zone.polygon().size(); i++) {
                idx.put(i, 0, 0, (int) Math.round(zone.polygon().get(i).x() * (img.cols() - 1)));
                idx.put(i, 0, 1, (int) Math.round(zone.polygon().get(i).y() * (img.rows() - 1)));
            }
        }
        polylines(img, new MatVector(pts), true, zoneColour(), 2, LINE_AA, 0);
    }

    private static Evidence encode(String role, Instant at, Mat img) {
        BytePointer buf = new BytePointer();
        if (!imencode(".jpg", img, buf, new IntPointer(IMWRITE_JPEG_QUALITY, QUALITY))) {
            throw new IllegalStateException("OpenCV could not encode a " + img.cols() + "x" + img.rows() + " JPEG");
        }
        byte[] jpeg = new byte[(int) buf.limit()];
        buf.get(jpeg);
        return new Evidence(role, ModelCard.sha256Hex(jpeg), at, jpeg);
    }
}

package kz.ikomek.vision.detectors;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Street frames drawn with OpenCV for recorded sequences: a grey street under buildings, kerb marks, camera noise
 * on every frame, optionally a truck (a large dark body with a red cab) and something on the ground.
 */
public final class StreetFrames {

    public static final int W = 320;
    public static final int H = 180;
    public static final Scalar RED_PILE = new Scalar(20, 50, 220, 0);     // BGR
    public static final Scalar BLUE_BOX = new Scalar(220, 60, 20, 0);

    private final Random noise;

    public StreetFrames(long seed) {
        this.noise = new Random(seed);
    }

    /** truckX: left edge of the truck or -1 for none; pile: the colour of what lies where the truck stood, or null. */
    public Mat street(int truckX, Scalar pile) {
        return street(new Scalar(115, 115, 115, 0), truckX, pile);
    }

    public Mat street(Scalar road, int truckX, Scalar pile) {
        Mat m = new Mat(H, W, CV_8UC3, road);
        rectangle(m, new Rect(0, 0, W, 60), new Scalar(170, 150, 120, 0), FILLED, LINE_8, 0);     // buildings
        for (int x = 10; x < W; x += 40) {                                                          // kerb marks
            line(m, new Point(x, 95), new Point(x + 20, 95), new Scalar(200, 200, 200, 0), 2, LINE_8, 0);
        }
        if (pile != null) {   // a lumpy heap where the truck's tail stood
            rectangle(m, new Rect(150, 140, 44, 22), pile, FILLED, LINE_8, 0);
            rectangle(m, new Rect(158, 132, 28, 10), pile, FILLED, LINE_8, 0);
        }
        if (truckX >= 0) {
            rectangle(m, new Rect(truckX, 100, 130, 62), new Scalar(60, 40, 30, 0), FILLED, LINE_8, 0);       // body
            rectangle(m, new Rect(truckX + 130, 112, 34, 50), new Scalar(40, 40, 140, 0), FILLED, LINE_8, 0); // cab
        }
        addNoise(m);
        return m;
    }

    /** Where the truck drawn at {@code truckX} is: body and cab. */
    public static Box truckBox(int truckX) {
        return new Box(truckX, 100, 164, 62);
    }

    /** One flat colour with noise (for classifier-driven sequences: white = snow for the tiny test model). */
    public Mat solid(Scalar bgr) {
        Mat m = new Mat(H, W, CV_8UC3, bgr);
        addNoise(m);
        return m;
    }

    private void addNoise(Mat m) {
        byte[] px = new byte[m.cols() * m.rows() * 3];
        BytePointer data = m.data();
        data.get(px);
        for (int i = 0; i < px.length; i++) {
            int v = (px[i] & 0xff) + (int) Math.round(noise.nextGaussian() * 4);
            px[i] = (byte) Math.max(0, Math.min(255, v));
        }
        data.put(px);
    }
}

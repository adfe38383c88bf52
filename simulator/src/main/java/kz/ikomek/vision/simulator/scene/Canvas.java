package kz.ikomek.vision.simulator.scene;

import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.fillConvexPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.line;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws world-space shapes (metres; x across the street, y up, z along it) onto an image through the
 * street camera. Polygons are clipped at a near plane, so a truck entering from under the camera
 * does not explode into infinite coordinates. Native buffers are reused: rendering runs thousands
 * of frames at startup and must not churn JavaCPP allocations.
 */
final class Canvas implements AutoCloseable {
    private static final int SHIFT = 4;
    private static final double ONE = 1 << SHIFT;
    private static final double NEAR = 0.6;

    private final SceneVariant v;
    private final Point pts = new Point(96);
    private final Point p2 = new Point(1);
    private final Scalar scalar = new Scalar(0, 0, 0, 0);
    private final double[] cx = new double[96];
    private final double[] cy = new double[96];
    private final double[] cz = new double[96];
    private final double[] tx = new double[96];
    private final double[] ty = new double[96];
    private final double[] tz = new double[96];
    Mat target;
    /** When set, world shapes fill this single-channel mask with 255 instead of colour. */
    boolean maskMode;

    Canvas(SceneVariant v) {
        this.v = v;
    }

    double u(double x, double z) {
        return v.cx + v.focal * (x - v.camX) / z;
    }

    double v(double y, double z) {
        return v.horizonV + v.focal * (v.camHeight - y) / z;
    }

    private Scalar colour(double[] bgr, double k) {
        if (maskMode) {
            scalar.put(0, 255).put(1, 255).put(2, 255).put(3, 0);
        } else {
            scalar.put(0, clamp(bgr[0] * k)).put(1, clamp(bgr[1] * k)).put(2, clamp(bgr[2] * k)).put(3, 0);
        }
        return scalar;
    }

    static double clamp(double c) {
        return c < 0 ? 0 : c > 255 ? 255 : c;
    }

    /** A convex planar polygon in world space (x, y, z triples), clipped at the near plane. */
    void polygon(double[] xyz, double[] bgr, double k) {
        int n = xyz.length / 3;
        for (int i = 0; i < n; i++) {
            cx[i] = xyz[3 * i];
            cy[i] = xyz[3 * i + 1];
            cz[i] = xyz[3 * i + 2];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            boolean inI = cz[i] >= NEAR;
            boolean inJ = cz[j] >= NEAR;
            if (inI) {
                tx[m] = cx[i];
                ty[m] = cy[i];
                tz[m++] = cz[i];
            }
            if (inI != inJ) {
                double s = (NEAR - cz[i]) / (cz[j] - cz[i]);
                tx[m] = cx[i] + s * (cx[j] - cx[i]);
                ty[m] = cy[i] + s * (cy[j] - cy[i]);
                tz[m++] = NEAR;
            }
        }
        if (m < 3) {
            return;
        }
        for (int i = 0; i < m; i++) {
            pts.position(i).x(fix(u(tx[i], tz[i]))).y(fix(v(ty[i], tz[i])));
        }
        pts.position(0);
        fillConvexPoly(target, pts, m, colour(bgr, k), LINE_AA, SHIFT);
    }

    /** An image-space convex polygon (pixel coordinates). */
    void imagePolygon(double[] us, double[] vs, int n, double[] bgr, double k) {
        for (int i = 0; i < n; i++) {
            pts.position(i).x(fix(us[i])).y(fix(vs[i]));
        }
        pts.position(0);
        fillConvexPoly(target, pts, n, colour(bgr, k), LINE_AA, SHIFT);
    }

    /** A disc lying on the plane y = height, centred at (x, z). */
    void groundDisc(double x, double z, double radius, double height, double[] bgr, double k) {
        int n = 28;
        double[] xyz = new double[n * 3];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            xyz[3 * i] = x + radius * Math.cos(a);
            xyz[3 * i + 1] = height;
            xyz[3 * i + 2] = z + radius * Math.sin(a);
        }
        polygon(xyz, bgr, k);
    }

    /** A flat quad on the plane y = height spanning [x0, x1] x [z0, z1]. */
    void groundQuad(double x0, double x1, double z0, double z1, double height, double[] bgr, double k) {
        polygon(new double[] {x0, height, z0, x1, height, z0, x1, height, z1, x0, height, z1}, bgr, k);
    }

    /**
     * An axis-aligned box; only the faces the camera can see are drawn (top, near face, one side),
     * which never overlap each other, so their order does not matter.
     */
    void box(double x0, double x1, double y0, double y1, double z0, double z1,
             double[] top, double[] side, double[] front, double k) {
        if (z1 < NEAR) {
            return;
        }
        if (v.camHeight > y1 && top != null) {
            polygon(new double[] {x0, y1, z0, x1, y1, z0, x1, y1, z1, x0, y1, z1}, top, k * 1.08);
        }
        if (side != null) {
            if (v.camX < x0) {
                polygon(new double[] {x0, y0, z0, x0, y1, z0, x0, y1, z1, x0, y0, z1}, side, k * 0.82);
            } else if (v.camX > x1) {
                polygon(new double[] {x1, y0, z0, x1, y1, z0, x1, y1, z1, x1, y0, z1}, side, k * 0.82);
            }
        }
        if (front != null) {
            polygon(new double[] {x0, y0, z0, x1, y0, z0, x1, y1, z0, x0, y1, z0}, front, k * 0.7);
        }
    }

    void imageCircle(double u, double v, double radius, double[] bgr, double k) {
        p2.x(fix(u)).y(fix(v));
        circle(target, p2, (int) Math.max(1, Math.round(radius * ONE)), colour(bgr, k), -1, LINE_AA, SHIFT);
    }

    void worldLine(double x0, double y0, double z0, double x1, double y1, double z1, double widthMetres,
                   double[] bgr, double k) {
        if (z0 < NEAR || z1 < NEAR) {
            return;
        }
        double zMid = (z0 + z1) / 2;
        int thickness = (int) Math.max(1, Math.round(v.focal * widthMetres / zMid));
        pts.position(0).x(fix(u(x0, z0))).y(fix(v(y0, z0)));
        p2.x(fix(u(x1, z1))).y(fix(v(y1, z1)));
        line(target, pts, p2, colour(bgr, k), thickness, LINE_AA, SHIFT);
    }

    private static int fix(double c) {
        double clamped = Math.max(-20000, Math.min(20000, c));
        return (int) Math.round(clamped * ONE);
    }

    @Override
    public void close() {
        pts.close();
        p2.close();
        scalar.close();
    }
}

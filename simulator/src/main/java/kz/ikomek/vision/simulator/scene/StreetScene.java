package kz.ikomek.vision.simulator.scene;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A procedurally rendered street seen from a camera on a pole, for one scenario and one seed.
 * The static parts (sky, buildings, textured ground, the light of street lamps) are rendered once
 * per scene; each frame adds what changes (snow, water, the open manhole, traffic, the truck and the
 * waste it leaves), then the camera's own look: lens softness, sensor noise and the on-screen clock.
 *
 * <p>Deterministic: the same scenario, seed and time always give the same pixels. Not thread-safe:
 * one scene per thread.
 */
public final class StreetScene implements AutoCloseable {
    public static final int WIDTH = SceneVariant.WIDTH;
    public static final int HEIGHT = SceneVariant.HEIGHT;

    private static final int PIXELS = WIDTH * HEIGHT;
    private static final byte ROAD = 1;
    private static final byte PARKING = 2;
    private static final byte CURB = 3;
    private static final byte SIDEWALK = 4;
    private static final byte LAWN = 5;
    private static final double[] BLACK = {8, 8, 9};
    private static final double[] IRON = {52, 56, 58};
    private static final double[] CONCRETE = {128, 130, 131};
    private static final double[] UNDERBODY = {22, 22, 24};
    private static final double[] GLASS = {62, 54, 48};
    private static final double[] TYRE = {28, 28, 30};
    private static final double[] HUB = {150, 152, 155};
    private static final double[] LOAD = {48, 62, 78};
    private static final double[] PLATE = {225, 228, 230};
    private static final double[] SNOW = {246, 242, 238};
    private static final DateTimeFormatter OSD = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Scenario scenario;
    private final SceneVariant v;
    private final Noise noise;
    private final Canvas canvas;
    private final byte[] background = new byte[PIXELS * 3];
    private final byte[] pix = new byte[PIXELS * 3];
    private final byte[] shadowPix = new byte[PIXELS];
    private final float[] gx = new float[PIXELS];
    private final float[] gz = new float[PIXELS];
    private final byte[] material = new byte[PIXELS];
    private final float[] light = new float[PIXELS * 3];
    private final float[] fog = new float[PIXELS];
    private final float[] texture = new float[PIXELS];
    private final float[] patchNoise = new float[PIXELS];
    private final float[] tracks = new float[PIXELS];
    private final byte[][] grain = new byte[4][];
    private final double[] haze;
    private final List<PileItem> pile = new ArrayList<>();
    private final Mat frame = new Mat(HEIGHT, WIDTH, CV_8UC3);
    private final Mat shadow = new Mat(HEIGHT, WIDTH, CV_8UC1);
    private final Mat glow = new Mat(HEIGHT, WIDTH, CV_8UC3);
    private final Size blur3 = new Size(3, 3);
    private final Size blur7 = new Size(7, 7);
    private final Size blurGlow = new Size(0, 0);
    private final Point textAt = new Point();
    private final Scalar white = new Scalar(235, 235, 235, 0);
    private final Scalar black = new Scalar(20, 20, 20, 0);
    private final LocalDateTime osdStart;

    private record PileItem(int kind, double x, double z, double size, double[] colour, double appearAt) {
    }

    public StreetScene(Scenario scenario, long seed) {
        this.scenario = scenario;
        this.v = new SceneVariant(seed);
        this.noise = new Noise(seed);
        this.canvas = new Canvas(v);
        this.haze = new double[3];
        for (int c = 0; c < 3; c++) {
            haze[c] = v.lighting.skyHorizon[c] * (v.lighting == Lighting.NIGHT ? 0.7 : 0.92);
        }
        SplittableRandom r = new SplittableRandom(seed * 31 + 7);
        osdStart = LocalDateTime.of(2026, 1 + r.nextInt(12), 1 + r.nextInt(28),
                switch (v.lighting) {
                    case DAY -> 10 + r.nextInt(5);
                    case OVERCAST -> 9 + r.nextInt(7);
                    case DUSK -> 17;
                    case NIGHT -> 22;
                }, r.nextInt(60), r.nextInt(60));
        buildGround();
        buildSkyAndBuildings();
        buildGrain(r);
        buildPile(r);
    }

    public Scenario scenario() {
        return scenario;
    }

    public long seed() {
        return v.seed;
    }

    /** Lighting of this street (the dumper names files by it). */
    public String lighting() {
        return v.lighting.name().toLowerCase();
    }

    /** True while the dumping truck is in view. */
    public boolean truckInView(double t) {
        return scenario == Scenario.DUMPING && t >= Scenario.TRUCK_ENTER_AT && t < Scenario.TRUCK_GONE_AT;
    }

    /** How many waste items lie on the road at time t (dumping only). */
    public int pileItems(double t) {
        if (scenario != Scenario.DUMPING) {
            return 0;
        }
        return (int) pile.stream().filter(p -> p.appearAt <= t).count();
    }

    /**
     * Renders the frame at time t (seconds into the loop). The returned Mat is owned by the scene and
     * overwritten by the next call: clone it to keep it.
     */
    public Mat render(double t) {
        System.arraycopy(background, 0, pix, 0, pix.length);
        frame.data().put(pix);
        canvas.target = frame;
        drawManhole(t);
        frame.data().get(pix);
        if (scenario == Scenario.SNOW) {
            snow(t);
        } else if (scenario == Scenario.FLOOD) {
            flood(t);
        }
        List<Drawable> objects = objects(t);
        shadows(objects);
        frame.data().put(pix);
        canvas.target = frame;
        objects.sort(Comparator.comparingDouble(Drawable::z).reversed());
        for (Drawable d : objects) {
            d.draw();
        }
        if (scenario == Scenario.SNOW) {
            snowfall(t);
        }
        if (v.lighting.lampsOn()) {
            bloom();
        }
        GaussianBlur(frame, frame, blur3, 0.65);
        frame.data().get(pix);
        byte[] g = grain[(int) Math.floorMod(Math.round(t * 5), 4)];
        for (int i = 0; i < pix.length; i++) {
            int c = (pix[i] & 0xFF) + g[i];
            pix[i] = (byte) (c < 0 ? 0 : c > 255 ? 255 : c);
        }
        frame.data().put(pix);
        String osd = osdStart.plusSeconds((long) t).format(OSD);
        text(osd, 10, 22);
        text(String.format("CAM-%02d", v.cameraNumber), 10, HEIGHT - 12);
        return frame;
    }

    private void text(String s, int x, int y) {
        textAt.x(x + 1).y(y + 1);
        putText(frame, s, textAt, FONT_HERSHEY_SIMPLEX, 0.5, black, 2, LINE_AA, false);
        textAt.x(x).y(y);
        putText(frame, s, textAt, FONT_HERSHEY_SIMPLEX, 0.5, white, 1, LINE_AA, false);
    }

    // ------------------------------------------------------------------ static layers

    private void buildGround() {
        double[] acc = new double[3];
        double[] c = new double[3];
        int v0 = (int) Math.ceil(v.horizonV + 0.5);
        double lampFalloff = 2 * 6.0 * 6.0;
        List<double[]> lamps = lampHeads();
        for (int y = Math.max(0, v0); y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int i = y * WIDTH + x;
                acc[0] = acc[1] = acc[2] = 0;
                for (int s = 0; s < 4; s++) {
                    double su = x + ((s & 1) == 0 ? -0.25 : 0.25);
                    double sv = y + ((s & 2) == 0 ? -0.25 : 0.25);
                    double z = Math.min(3000, v.focal * v.camHeight / Math.max(0.05, sv - v.horizonV));
                    double wx = v.camX + (su - v.cx) * z / v.focal;
                    groundAlbedo(wx, z, c);
                    acc[0] += c[0];
                    acc[1] += c[1];
                    acc[2] += c[2];
                }
                double z = Math.min(3000, v.focal * v.camHeight / Math.max(0.05, y - v.horizonV));
                double wx = v.camX + (x - v.cx) * z / v.focal;
                gx[i] = (float) wx;
                gz[i] = (float) z;
                material[i] = materialAt(wx);
                double pool = 0;
                if (v.lighting.lampsOn()) {
                    for (double[] l : lamps) {
                        double dx = wx - l[0];
                        double dz = z - l[1];
                        double d2 = dx * dx + dz * dz;
                        if (d2 < 900) {
                            pool += Math.exp(-d2 / lampFalloff);
                        }
                    }
                    pool *= v.lighting == Lighting.NIGHT ? 0.5 : 0.25;
                }
                double f = 1 - Math.exp(-z / v.fogDistance);
                fog[i] = (float) f;
                for (int k = 0; k < 3; k++) {
                    double lk = v.lighting.ambient * v.lighting.tint[k] + pool * v.lampLight[k] / 255.0;
                    light[3 * i + k] = (float) lk;
                    double col = acc[k] / 4 * lk;
                    background[3 * i + k] = (byte) Canvas.clamp(col * (1 - f) + haze[k] * f);
                }
                texture[i] = (float) (noise.value(wx * 9, z * 9) - 0.5);
                patchNoise[i] = (float) noise.fractal(wx * 0.32 + 40, z * 0.11, 3);
                tracks[i] = (float) trackWeight(wx, z);
            }
        }
    }

    private byte materialAt(double x) {
        if (x >= v.roadLeft && x <= v.roadRight) {
            return x > v.roadRight - v.parkingWidth ? PARKING : ROAD;
        }
        double out = x < v.roadLeft ? v.roadLeft - x : x - v.roadRight;
        if (out < 0.25) {
            return CURB;
        }
        if (out < 0.25 + v.sidewalkWidth) {
            return SIDEWALK;
        }
        return out < 0.25 + v.sidewalkWidth + v.setback ? LAWN : SIDEWALK;
    }

    /** Where tyres run: two wheel paths per driving lane, where snow turns to slush. */
    private double trackWeight(double x, double z) {
        if (x < v.roadLeft || x > v.roadRight - v.parkingWidth) {
            return 0;
        }
        int lane = (int) Math.floor((x - v.roadLeft) / v.laneWidth);
        double centre = v.laneCentre(Math.min(lane, v.lanes - 1));
        double wobble = 0.12 * Math.sin(z * 0.05 + lane);
        double d = Math.min(Math.abs(x - (centre - 0.8 + wobble)), Math.abs(x - (centre + 0.8 + wobble)));
        return Math.exp(-d * d / (2 * 0.2 * 0.2));
    }

    private void groundAlbedo(double x, double z, double[] out) {
        double footprint = z / v.focal;
        double fine = 1 / (1 + footprint * 10);
        byte m = materialAt(x);
        switch (m) {
            case ROAD, PARKING -> {
                double base = (noise.fractal(x * 0.4, z * 0.15, 3) - 0.5) * 22
                        + (noise.value(x * 9, z * 9) - 0.5) * 26 * fine;
                double patch = noise.value(x * 0.22 + 100, z * 0.07);
                if (patch > 0.74) {
                    base -= 9;
                }
                double wear = -10 * trackWeight(x, z);
                for (int k = 0; k < 3; k++) {
                    out[k] = v.asphalt[k] + base + wear;
                }
                paint(x, z, fine, out);
            }
            case CURB -> {
                double n = (noise.value(x * 5, z * 3) - 0.5) * 18;
                double seam = (z % 1.0) < 0.04 * (1 / fine) ? -25 * fine : 0;
                for (int k = 0; k < 3; k++) {
                    out[k] = 150 + n + seam;
                }
            }
            case LAWN -> {
                double n = (noise.fractal(x * 2, z * 2, 2) - 0.5) * 40;
                for (int k = 0; k < 3; k++) {
                    out[k] = v.lawn[k] + n;
                }
            }
            default -> {
                double tile = 0.6;
                double fx = ((x % tile) + tile) % tile;
                double fz = ((z % tile) + tile) % tile;
                double groutW = 0.03;
                boolean grout = fx < groutW || fz < groutW;
                double tileShade = (noise.hash((long) Math.floor(x / tile), (long) Math.floor(z / tile)) - 0.5) * 14;
                double n = (noise.value(x * 7, z * 7) - 0.5) * 14 * fine
                        + (noise.fractal(x * 0.5, z * 0.3, 2) - 0.5) * 16;
                double g = grout ? -28 * fine : 0;
                for (int k = 0; k < 3; k++) {
                    out[k] = v.sidewalk[k] + tileShade * fine + n + g;
                }
            }
        }
    }

    /** Road markings: centre line, lane lines, the parking line and a zebra crossing, worn by traffic. */
    private void paint(double x, double z, double fine, double[] out) {
        double paint = 0;
        boolean yellow = false;
        double dash = ((z % 9) + 9) % 9;
        if (v.yellowCentre) {
            if (Math.abs(Math.abs(x - v.centreX) - 0.12) < 0.06) {
                paint = 1;
                yellow = true;
            }
        } else if (Math.abs(x - v.centreX) < 0.08 && dash < 3.5) {
            paint = 1;
        }
        for (int lane = 1; lane < v.lanes; lane++) {
            double lx = v.roadLeft + lane * v.laneWidth;
            if (Math.abs(lx - v.centreX) > 0.5 && Math.abs(x - lx) < 0.07 && dash < 3) {
                paint = 1;
            }
        }
        double parkLine = v.roadRight - v.parkingWidth;
        if (Math.abs(x - parkLine) < 0.07) {
            paint = 1;
        }
        if (z > v.crosswalkZ && z < v.crosswalkZ + 4 && x > v.roadLeft + 0.3 && x < parkLine) {
            double fx = ((x - v.roadLeft) % 1.0 + 1.0) % 1.0;
            if (fx < 0.5) {
                paint = 1;
                yellow = false;
            }
        }
        if (paint > 0) {
            double wear = 0.55 + 0.45 * noise.fractal(x * 3, z * 1.5, 2);
            double a = paint * wear * (0.6 + 0.4 * fine);
            double[] col = yellow ? new double[] {40, 175, 215} : new double[] {212, 214, 214};
            for (int k = 0; k < 3; k++) {
                out[k] = out[k] * (1 - a) + col[k] * a;
            }
        }
    }

    private List<double[]> lampHeads() {
        List<double[]> heads = new ArrayList<>();
        for (double z = v.lampPhase; z < 320; z += v.lampSpacing) {
            heads.add(new double[] {v.roadRight - 1.4, z});
            if (v.lampsBothSides) {
                heads.add(new double[] {v.roadLeft + 1.4, z + v.lampSpacing / 2});
            }
        }
        return heads;
    }

    private void buildSkyAndBuildings() {
        int horizon = (int) Math.ceil(v.horizonV + 0.5);
        for (int y = 0; y < Math.min(HEIGHT, horizon); y++) {
            double s = Math.max(0, Math.min(1, 1 - (v.horizonV - y) / (v.horizonV + 160)));
            s = Math.pow(s, 1.6);
            for (int x = 0; x < WIDTH; x++) {
                int i = y * WIDTH + x;
                double cloud = 0;
                if (v.lighting == Lighting.DAY || v.lighting == Lighting.OVERCAST) {
                    cloud = Math.max(0, noise.fractal(x * 0.008 + 3, y * 0.03 + 9, 4) - 0.45) * 1.6;
                }
                for (int k = 0; k < 3; k++) {
                    double sky = v.lighting.skyTop[k] * (1 - s) + v.lighting.skyHorizon[k] * s;
                    double cl = v.lighting == Lighting.DAY ? 245 : 200;
                    background[3 * i + k] = (byte) Canvas.clamp(sky * (1 - cloud) + cl * cloud);
                }
            }
        }
        Mat bg = new Mat(HEIGHT, WIDTH, CV_8UC3);
        Mat mask = new Mat(HEIGHT, WIDTH, CV_8UC1);
        try {
            bg.data().put(background);
            mask.data().put(new byte[PIXELS]);
            List<SceneVariant.Building> sorted = new ArrayList<>(v.buildings);
            sorted.sort(Comparator.comparingDouble(SceneVariant.Building::z0).reversed());
            for (SceneVariant.Building b : sorted) {
                canvas.target = mask;
                canvas.maskMode = true;
                drawBuilding(b, false);
                canvas.target = bg;
                canvas.maskMode = false;
                drawBuilding(b, true);
            }
            bg.data().get(background);
            byte[] m = new byte[PIXELS];
            mask.data().get(m);
            // Facades are not flat paint: weathering and stains, fixed to the image as the camera never moves.
            for (int i = 0; i < PIXELS; i++) {
                if (m[i] != 0) {
                    material[i] = 0;
                    int x = i % WIDTH;
                    int y = i / WIDTH;
                    double n = (noise.fractal(x * 0.05, y * 0.08 + 50, 3) - 0.5) * 18
                            + (noise.hash(x, y) - 0.5) * 6;
                    for (int k = 0; k < 3; k++) {
                        int c = (background[3 * i + k] & 0xFF) + (int) (n * v.lighting.ambient);
                        background[3 * i + k] = (byte) Canvas.clamp(c);
                    }
                }
            }
        } finally {
            bg.close();
            mask.close();
        }
    }

    private void drawBuilding(SceneVariant.Building b, boolean detail) {
        double face = b.left()
                ? v.roadLeft - 0.25 - v.sidewalkWidth - v.setback
                : v.roadRight + 0.25 + v.sidewalkWidth + v.setback;
        double back = b.left() ? face - 18 : face + 18;
        double sun = switch (v.lighting) {
            case DAY -> b.left() ? 1.05 : 0.72;
            case OVERCAST -> 0.85;
            default -> 0.8;
        };
        double[] lit = shade(b.colour(), sun, (b.z0() + b.z1()) / 2);
        double[] end = shade(b.colour(), sun * 0.62, b.z0());
        double[] roof = shade(new double[] {90, 92, 95}, 1, (b.z0() + b.z1()) / 2);
        double x0 = Math.min(face, back);
        double x1 = Math.max(face, back);
        if (v.camHeight > b.height()) {
            canvas.polygon(new double[] {x0, b.height(), b.z0(), x1, b.height(), b.z0(), x1, b.height(), b.z1(),
                x0, b.height(), b.z1()}, roof, 1);
        }
        canvas.polygon(new double[] {x0, 0, b.z0(), x1, 0, b.z0(), x1, b.height(), b.z0(), x0, b.height(), b.z0()},
                end, 1);
        canvas.polygon(new double[] {face, 0, b.z0(), face, 0, b.z1(), face, b.height(), b.z1(),
            face, b.height(), b.z0()}, lit, 1);
        if (!detail) {
            return;
        }
        SplittableRandom wr = new SplittableRandom(b.windowSeed());
        // Ground floor: shop glass under a coloured sign board.
        double[][] signs = {{40, 40, 190}, {160, 90, 30}, {40, 140, 40}, {230, 230, 230}, {30, 170, 220}};
        double signZ0 = b.z0() + 1 + wr.nextDouble() * 3;
        double signZ1 = Math.min(b.z1() - 1, signZ0 + 6 + wr.nextDouble() * 10);
        if (signZ1 > signZ0 + 2) {
            canvas.polygon(new double[] {face, 2.9, signZ0, face, 2.9, signZ1, face, 3.6, signZ1, face, 3.6, signZ0},
                    shade(signs[wr.nextInt(signs.length)], 1, signZ0), v.lighting.lampsOn() ? 1.6 : 1);
            canvas.polygon(new double[] {face, 0.5, signZ0, face, 0.5, signZ1, face, 2.6, signZ1, face, 2.6, signZ0},
                    shade(b.glass(), 0.9, signZ0), v.lighting.lampsOn() ? 2.2 : 1);
        }
        int floors = (int) ((b.height() - 3.8) / b.floorHeight());
        double[] sky = v.lighting.skyHorizon;
        for (int f = 0; f < floors; f++) {
            double y0 = 3.8 + f * b.floorHeight() + b.floorHeight() * 0.25;
            double y1 = y0 + b.floorHeight() * 0.55;
            for (double z = b.z0() + 1.2; z + b.windowPitch() * 0.5 < b.z1() - 0.8; z += b.windowPitch()) {
                double z1 = z + b.windowPitch() * 0.5;
                double width = Math.abs(canvas.u(face, z) - canvas.u(face, z1));
                if (width < 1.2) {
                    continue;
                }
                boolean on = v.lighting.lampsOn() && wr.nextDouble() < b.litShare();
                double[] col;
                if (on) {
                    double w = 0.8 + wr.nextDouble() * 0.4;
                    col = new double[] {110 * w, 200 * w, 250 * w};
                } else {
                    double reflect = 0.25 + wr.nextDouble() * 0.35;
                    col = new double[3];
                    for (int k = 0; k < 3; k++) {
                        col[k] = b.glass()[k] * (1 - reflect) + sky[k] * reflect * 0.8;
                    }
                    col = shade(col, 1, z);
                }
                canvas.polygon(new double[] {face, y0, z, face, y0, z1, face, y1, z1, face, y1, z}, col, 1);
            }
        }
    }

    /** Surface colour under the scene's light, faded into the haze with distance. */
    private double[] shade(double[] albedo, double k, double z) {
        double f = 1 - Math.exp(-Math.max(0, z) / v.fogDistance);
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            double lit = albedo[c] * k * v.lighting.ambient * v.lighting.tint[c];
            out[c] = lit * (1 - f) + haze[c] * f;
        }
        return out;
    }

    private void buildGrain(SplittableRandom r) {
        for (int g = 0; g < grain.length; g++) {
            byte[] b = new byte[PIXELS * 3];
            for (int i = 0; i < PIXELS; i++) {
                double luma = r.nextGaussian() * v.noiseSigma;
                for (int k = 0; k < 3; k++) {
                    b[3 * i + k] = (byte) Math.round(luma + r.nextGaussian() * v.noiseSigma * 0.5);
                }
            }
            grain[g] = b;
        }
    }

    private void buildPile(SplittableRandom r) {
        double[][] bags = {{28, 28, 30}, {30, 70, 30}, {150, 80, 40}, {225, 225, 225}, {110, 110, 115},
            {40, 170, 215}, {60, 60, 140}};
        int n = 20 + r.nextInt(10);
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble() * 2 * Math.PI;
            double d = Math.sqrt(r.nextDouble());
            double x = v.pileX + Math.cos(a) * d * 1.4;
            double z = v.pileZ + Math.sin(a) * d * 1.3;
            double kind = r.nextDouble();
            int k = kind < 0.55 ? 0 : kind < 0.75 ? 1 : kind < 0.83 ? 2 : kind < 0.93 ? 3 : 4;
            double[] colour = switch (k) {
                case 0 -> bags[r.nextInt(bags.length)];
                case 1 -> new double[] {80 + r.nextInt(30), 130 + r.nextInt(30), 170 + r.nextInt(30)};
                case 2 -> new double[] {25, 25, 27};
                case 3 -> new double[] {70, 120, 160};
                default -> new double[] {200, 205, 215};
            };
            double appear = Scenario.DUMP_START_AT
                    + (Scenario.DUMP_END_AT - Scenario.DUMP_START_AT) * i / (double) n;
            pile.add(new PileItem(k, x, z, 0.35 + r.nextDouble() * 0.3, colour, appear));
        }
    }

    // ------------------------------------------------------------------ per-frame ground effects

    private static double smooth(double a, double b, double x) {
        double t = Math.max(0, Math.min(1, (x - a) / (b - a)));
        return t * t * (3 - 2 * t);
    }

    private void snow(double t) {
        double c = smooth(0, Scenario.SNOW_FULL_AT, t);
        if (c <= 0) {
            return;
        }
        for (int i = 0; i < PIXELS; i++) {
            byte m = material[i];
            if (m == 0) {
                continue;
            }
            double raised = m == SIDEWALK || m == LAWN ? 0.18 : m == CURB ? 0.3 : 0;
            double depth = (c * 1.3 - patchNoise[i] * 0.7 - 0.12 + raised) / 0.22;
            depth = Math.max(0, Math.min(1, depth));
            double track = tracks[i];
            double slush = 0;
            if (track > 0.02) {
                double worn = track * (0.45 + 0.55 * patchNoise[i]) * (0.8 + 0.2 * Math.sin(gz[i] * 0.9 + gx[i]));
                slush = worn * c;
                depth *= 1 - 0.6 * worn;
            }
            double tex = texture[i] * 16 + (patchNoise[i] - 0.5) * 18;
            double f = fog[i];
            for (int k = 0; k < 3; k++) {
                int o = 3 * i + k;
                double ground = pix[o] & 0xFF;
                double sn = (SNOW[k] + tex) * light[o] * (1 - f) + haze[k] * f;
                double slushCol = (140 + tex * 0.8 - k * 4) * light[o] * (1 - f) + haze[k] * f;
                double col = ground * (1 - depth) + sn * depth;
                col = col * (1 - slush * 0.45) + slushCol * slush * 0.45;
                pix[o] = (byte) Canvas.clamp(col);
            }
        }
    }

    private void snowfall(double t) {
        double fade = 1 - smooth(Scenario.SNOW_FULL_AT, Scenario.SNOW_FULL_AT + 6, t);
        if (fade <= 0) {
            return;
        }
        SplittableRandom r = new SplittableRandom(v.seed * 977);
        int flakes = (int) (320 * fade);
        double[] col = {235, 235, 235};
        for (int k = 0; k < flakes; k++) {
            double x0 = r.nextDouble() * WIDTH;
            double y0 = r.nextDouble() * HEIGHT;
            double near = r.nextDouble();
            double speed = 30 + near * 70;
            double u = (x0 + 12 * Math.sin(t * 1.1 + k)) % WIDTH;
            double y = (y0 + speed * t) % HEIGHT;
            canvas.imageCircle(u, y, 0.6 + near * 1.4, col, 0.55 + v.lighting.ambient * 0.4);
        }
    }

    private void flood(double t) {
        double p = smooth(0, Scenario.FLOOD_FULL_AT, t);
        double reach = 0.12 + 0.9 * Math.sqrt(p);
        int horizon = (int) Math.floor(v.horizonV);
        List<double[]> streaks = new ArrayList<>();
        if (v.lighting.lampsOn()) {
            for (double[] l : lampHeads()) {
                // A lamp over wet ground shows as a long vertical streak below it.
                streaks.add(new double[] {v.cx + v.focal * (l[0] - v.camX) / l[1], l[1],
                    1.5 + v.focal * 0.2 / l[1]});
            }
        }
        for (int i = 0; i < PIXELS; i++) {
            byte m = material[i];
            if (m == 0) {
                continue;
            }
            double x = gx[i];
            double z = gz[i];
            double dx = (x - v.floodX) / v.floodHalfWidth;
            double dz = (z - v.floodZ) / v.floodHalfLength;
            double w = reach - Math.sqrt(dx * dx + dz * dz) - (patchNoise[i] - 0.5) * 0.6;
            if (m == SIDEWALK || m == LAWN) {
                w -= 0.3;
            }
            if (w < -0.15) {
                continue;
            }
            if (w <= 0) {
                double wet = 1 - 0.3 * (1 + w / 0.15);
                for (int k = 0; k < 3; k++) {
                    pix[3 * i + k] = (byte) ((pix[3 * i + k] & 0xFF) * wet);
                }
                continue;
            }
            int px = i % WIDTH;
            int py = i / WIDTH;
            // Mirror reflection: follow the camera ray bounced off the water (normal tilted by ripples)
            // to the facade it meets, and take that facade's colour from the background image.
            double phase = z * 1.7 + t * 2.2 + 2.0 * texture[i] + 1.3 * Math.sin(x * 0.8 - t * 1.3);
            double tilt = 0.05 * Math.sin(phase) + 0.03 * Math.sin(x * 3.1 + z * 0.7 - t * 2.9);
            double rdx = x - v.camX + tilt * z;
            double rdz = z;
            double rdy = v.camHeight * (1 + 0.6 * tilt);
            double facade = rdx < 0
                    ? v.roadLeft - 0.25 - v.sidewalkWidth - v.setback
                    : v.roadRight + 0.25 + v.sidewalkWidth + v.setback;
            double s = Math.abs(rdx) < 1e-3 ? 1e4 : (facade - x) / rdx;
            double hy = rdy * s;
            double hz = z + rdz * s;
            double ru = v.cx + v.focal * (facade - v.camX) / hz;
            double rv = v.horizonV + v.focal * (v.camHeight - hy) / hz;
            int ri = -1;
            if (ru >= 0 && ru < WIDTH && rv >= 0 && rv < horizon) {
                ri = (int) rv * WIDTH + (int) ru;
            } else if (ru >= 0 && ru < WIDTH && rv >= horizon && rv < HEIGHT && material[(int) rv * WIDTH + (int) ru] == 0) {
                ri = (int) rv * WIDTH + (int) ru;
            }
            double depthRow = (py - v.horizonV) / (HEIGHT - v.horizonV);
            double fresnel = 0.35 + 0.6 * Math.pow(1 - depthRow, 2);
            double edge = Math.min(1, w / 0.1);
            double sparkle = Math.pow(Math.max(0, Math.sin(phase)), 16) * 30 * v.lighting.ambient;
            double f = fog[i];
            double streak = 0;
            for (double[] st : streaks) {
                if (z < st[1]) {
                    double du = (px - st[0] + 2 * Math.sin(phase)) / st[2];
                    streak += Math.exp(-du * du) * (1 - z / st[1]);
                }
            }
            for (int k = 0; k < 3; k++) {
                int o = 3 * i + k;
                double mud = new double[] {58, 76, 86}[k] * light[o] * (1 - f) + haze[k] * f;
                double lamp = Math.max(0, light[o] - v.lighting.ambient) * 90;
                double refl = ri >= 0 ? (background[3 * ri + k] & 0xFF) * 0.9 : v.lighting.skyTop[k] * 0.95;
                double water = mud * (1 - fresnel) + refl * fresnel + sparkle + lamp * 0.5 + streak * v.lampLight[k] * 0.8;
                double ground = (pix[o] & 0xFF) * 0.7;
                pix[o] = (byte) Canvas.clamp(ground * (1 - edge) + water * edge);
            }
        }
    }

    // ------------------------------------------------------------------ decals and objects

    private void drawManhole(double t) {
        double x = v.manholeX;
        double z = v.manholeZ;
        double[] rim = shade(CONCRETE, 1, z);
        double[] iron = shade(IRON, 1, z);
        if (scenario == Scenario.OPEN_MANHOLE && t >= Scenario.MANHOLE_OPEN_AT) {
            canvas.groundDisc(x, z, 0.6, 0, rim, 0.95);
            canvas.groundDisc(x, z, 0.46, 0, shade(new double[] {48, 48, 50}, 1, z), 1);
            // The far inner wall of the shaft catches light; the rest of the hole is black.
            canvas.groundDisc(x, z - 0.11, 0.41, 0, BLACK, 1);
            canvas.groundDisc(x, z - 0.08, 0.3, 0, BLACK, 0.6);
            double cx = x + (x > v.centreX ? -1.1 : 1.1);
            double cz = z + 0.3;
            canvas.groundDisc(cx, cz + 0.04, 0.45, 0, BLACK, 3);
            canvas.groundDisc(cx, cz, 0.45, 0.06, iron, 1.05);
            canvas.groundDisc(cx, cz, 0.34, 0.06, iron, 0.8);
            canvas.groundDisc(cx, cz, 0.26, 0.06, iron, 1.15);
            canvas.groundDisc(cx, cz, 0.1, 0.06, iron, 0.75);
        } else {
            canvas.groundDisc(x, z, 0.55, 0, rim, 0.75);
            canvas.groundDisc(x, z, 0.45, 0, iron, 1);
            canvas.groundDisc(x, z, 0.34, 0, iron, 0.82);
            canvas.groundDisc(x, z, 0.26, 0, iron, 1.08);
            canvas.groundDisc(x, z, 0.1, 0, iron, 0.8);
        }
    }

    private interface Drawable {
        double z();

        void draw();

        default void shadow() {
        }
    }

    private List<Drawable> objects(double t) {
        List<Drawable> out = new ArrayList<>();
        boolean snowy = scenario == Scenario.SNOW && t > Scenario.SNOW_FULL_AT * 0.5;
        for (SceneVariant.Car c : v.cars) {
            double travel = 330;
            double pos = ((c.phase() + c.speed() * t) % travel + travel) % travel;
            double z = c.away() ? v.zMin() - 8 + pos : v.zMin() - 8 + travel - pos;
            double x = v.laneCentre(c.lane()) + swerve(c.lane(), z, t);
            out.add(car(c, x, z, c.away(), snowy));
        }
        for (SceneVariant.Car c : v.parked) {
            out.add(car(c, v.roadRight - 1.15, c.parkedZ(), true, snowy));
        }
        for (double z = v.lampPhase; z < 320; z += v.lampSpacing) {
            out.add(lamp(v.roadRight + 0.55, z, -1));
            if (v.lampsBothSides) {
                out.add(lamp(v.roadLeft - 0.55, z + v.lampSpacing / 2, 1));
            }
        }
        if (scenario == Scenario.DUMPING) {
            for (PileItem p : pile) {
                if (p.appearAt <= t) {
                    out.add(pileItem(p));
                }
            }
            if (truckInView(t)) {
                out.add(truck(t));
            }
        }
        return out;
    }

    /** Drivers steer round an open manhole into the next lane and back. */
    private double swerve(int lane, double z, double t) {
        if (scenario != Scenario.OPEN_MANHOLE || t < Scenario.MANHOLE_OPEN_AT) {
            return 0;
        }
        int holeLane = (int) Math.floor((v.manholeX - v.roadLeft) / v.laneWidth);
        if (lane != holeLane) {
            return 0;
        }
        double dir = lane + 1 < v.lanes ? 1 : -1;
        return dir * v.laneWidth * 0.9 * (1 - smooth(5, 22, Math.abs(z - v.manholeZ)));
    }

    /**
     * Where the dumping truck is in the picture at time t, as {x, y, width, height} in pixels (its whole outline,
     * including what nearer things may cover), or null when it is out of view: ground truth for vehicle detection.
     */
    public int[] truckBox(double t) {
        if (!truckInView(t)) {
            return null;
        }
        double z0 = truckRearZ(t);
        List<double[]> pts = new ArrayList<>();
        for (double x : new double[] {v.pileX - 1.26, v.pileX + 1.26}) {
            for (double y : new double[] {0, 3.25}) {
                for (double z : new double[] {Math.max(0.6, z0), Math.max(0.6, z0 + 7.6)}) {
                    pts.add(new double[] {x, y, z});
                }
            }
        }
        return pictureBox(pts);
    }

    /**
     * Where the incident is in the picture at time t, as {x, y, width, height} in pixels, or null
     * when there is nothing to box: the open manhole with its displaced cover, or the dumped waste.
     * Snow and flood cover the road and have no box.
     */
    public int[] incidentBox(double t) {
        List<double[]> pts = new ArrayList<>();
        if (scenario == Scenario.OPEN_MANHOLE && t >= Scenario.MANHOLE_OPEN_AT) {
            double coverX = v.manholeX + (v.manholeX > v.centreX ? -1.1 : 1.1);
            for (double x : new double[] {v.manholeX - 0.6, v.manholeX + 0.6, coverX - 0.45, coverX + 0.45}) {
                for (double z : new double[] {v.manholeZ - 0.6, v.manholeZ + 0.75}) {
                    pts.add(new double[] {x, 0, z});
                    pts.add(new double[] {x, 0.06, z});
                }
            }
        } else if (scenario == Scenario.DUMPING && pileItems(t) > 0) {
            for (PileItem p : pile) {
                if (p.appearAt() <= t) {
                    for (double dx : new double[] {-1, 1}) {
                        for (double dz : new double[] {-1, 1}) {
                            double reach = p.kind() == 3 ? 1.1 : p.kind() == 4 ? 0.9 : p.size() * 1.2;
                            pts.add(new double[] {p.x() + dx * reach, 0, p.z() + dz * reach});
                            pts.add(new double[] {p.x() + dx * reach, p.size() * 1.6, p.z() + dz * reach});
                        }
                    }
                }
            }
        }
        return pts.isEmpty() ? null : pictureBox(pts);
    }

    /** The pixel box around world points {x, y, z}, cut to the picture; null when nothing of it is inside. */
    private int[] pictureBox(List<double[]> pts) {
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (double[] p : pts) {
            double u = canvas.u(p[0], p[2]);
            double vv = canvas.v(p[1], p[2]);
            x0 = Math.min(x0, u);
            x1 = Math.max(x1, u);
            y0 = Math.min(y0, vv);
            y1 = Math.max(y1, vv);
        }
        int bx = (int) Math.max(0, Math.floor(x0));
        int by = (int) Math.max(0, Math.floor(y0));
        int ex = (int) Math.min(WIDTH, Math.ceil(x1));
        int ey = (int) Math.min(HEIGHT, Math.ceil(y1));
        return ex > bx && ey > by ? new int[] {bx, by, ex - bx, ey - by} : null;
    }

    private void shadows(List<Drawable> objects) {
        shadow.data().put(new byte[PIXELS]);
        canvas.target = shadow;
        canvas.maskMode = true;
        for (Drawable d : objects) {
            d.shadow();
        }
        canvas.maskMode = false;
        GaussianBlur(shadow, shadow, blur7, 2.0);
        shadow.data().get(shadowPix);
        double strength = switch (v.lighting) {
            case DAY -> 0.6;
            case OVERCAST -> 0.45;
            case DUSK -> 0.4;
            case NIGHT -> 0.35;
        };
        for (int i = 0; i < PIXELS; i++) {
            int s = shadowPix[i] & 0xFF;
            if (s != 0) {
                double k = 1 - strength * s / 255.0;
                for (int c = 0; c < 3; c++) {
                    pix[3 * i + c] = (byte) ((pix[3 * i + c] & 0xFF) * k);
                }
            }
        }
    }

    private Drawable car(SceneVariant.Car c, double x, double zNear, boolean away, boolean snowy) {
        double[] body = shade(c.colour(), 1, zNear);
        double[] glass = shade(GLASS, 1, zNear);
        double[] under = shade(UNDERBODY, 1, zNear);
        double[] roofCol = snowy ? shade(SNOW, 1, zNear) : body;
        double hw = c.width() / 2;
        double len = c.length();
        boolean night = v.lighting.lampsOn();
        return new Drawable() {
            @Override
            public double z() {
                return zNear;
            }

            @Override
            public void shadow() {
                double sx = v.lighting == Lighting.DAY ? 0.5 : 0.15;
                canvas.groundQuad(x - hw - 0.1 + sx, x + hw + 0.15 + sx, zNear - 0.2, zNear + len + 0.3, 0, null, 1);
            }

            @Override
            public void draw() {
                canvas.box(x - hw + 0.1, x + hw - 0.1, 0, 0.45, zNear + 0.15, zNear + len - 0.15, under, under, under, 1);
                if (c.van()) {
                    canvas.box(x - hw, x + hw, 0.35, c.height(), zNear, zNear + len, roofCol, body, body, 1);
                    if (!away) {
                        canvas.polygon(new double[] {x - hw + 0.15, 1.3, zNear - 0.01, x + hw - 0.15, 1.3, zNear - 0.01,
                            x + hw - 0.15, c.height() - 0.15, zNear - 0.01, x - hw + 0.15, c.height() - 0.15,
                            zNear - 0.01}, glass, 1);
                    }
                } else {
                    double cab0 = zNear + (away ? 1.1 : 1.0);
                    double cab1 = zNear + len - (away ? 0.9 : 1.2);
                    canvas.box(x - hw, x + hw, 0.35, 0.95, zNear, zNear + len, body, body, body, 1);
                    canvas.box(x - hw + 0.12, x + hw - 0.12, 0.95, c.height(), cab0, cab1, roofCol, glass, glass, 1.15);
                }
                double ly0 = 0.68;
                double ly1 = 0.85;
                double[] lamp = away
                        ? (night ? new double[] {90, 90, 255} : new double[] {40, 40, 190})
                        : (night ? new double[] {255, 255, 255} : new double[] {205, 220, 225});
                double k = night ? 1.0 / v.lighting.ambient : 1;
                canvas.polygon(new double[] {x - hw + 0.1, ly0, zNear - 0.02, x - hw + 0.42, ly0, zNear - 0.02,
                    x - hw + 0.42, ly1, zNear - 0.02, x - hw + 0.1, ly1, zNear - 0.02}, lamp, night ? 1 : 0.9);
                canvas.polygon(new double[] {x + hw - 0.42, ly0, zNear - 0.02, x + hw - 0.1, ly0, zNear - 0.02,
                    x + hw - 0.1, ly1, zNear - 0.02, x + hw - 0.42, ly1, zNear - 0.02}, lamp, night ? 1 : 0.9);
                canvas.polygon(new double[] {x - 0.26, 0.42, zNear - 0.02, x + 0.26, 0.42, zNear - 0.02,
                    x + 0.26, 0.53, zNear - 0.02, x - 0.26, 0.53, zNear - 0.02}, shade(new double[] {225, 225, 225}, 1,
                    zNear), night ? Math.min(2.5, k * 0.3) : 0.85);
            }
        };
    }

    private Drawable lamp(double x, double z, int armDirection) {
        double[] pole = shade(new double[] {120, 125, 128}, 1, z);
        boolean on = v.lighting.lampsOn();
        return new Drawable() {
            @Override
            public double z() {
                return z;
            }

            @Override
            public void shadow() {
                if (v.lighting == Lighting.DAY) {
                    canvas.groundQuad(x, x + 0.15, z, z + 6, 0, null, 1);
                }
            }

            @Override
            public void draw() {
                canvas.box(x - 0.09, x + 0.09, 0, 8.5, z - 0.09, z + 0.09, pole, pole, pole, 1);
                double hx = x + armDirection * 1.9;
                canvas.worldLine(x, 8.4, z, hx, 8.6, z, 0.1, pole, 1);
                canvas.box(Math.min(hx, hx - armDirection * 0.6), Math.max(hx, hx - armDirection * 0.6), 8.35, 8.6,
                        z - 0.2, z + 0.2, pole, pole, pole, 0.8);
                if (on) {
                    double u = canvas.u(hx - armDirection * 0.3, z);
                    double vv = canvas.v(8.3, z);
                    double rad = Math.max(1.5, v.focal * 0.25 / z);
                    canvas.imageCircle(u, vv, rad, v.lampLight, 1);
                }
            }
        };
    }

    private Drawable pileItem(PileItem p) {
        double[] col = shade(p.colour(), 1, p.z());
        return new Drawable() {
            @Override
            public double z() {
                return p.z() - p.size();
            }

            @Override
            public void shadow() {
                canvas.groundDisc(p.x(), p.z(), p.size() * 1.25, 0, null, 1);
            }

            @Override
            public void draw() {
                double s = p.size();
                switch (p.kind()) {
                    case 0 -> {
                        double u = canvas.u(p.x(), p.z());
                        double vv = canvas.v(s * 0.75, p.z());
                        double r = v.focal * s / p.z();
                        canvas.imageCircle(u, vv + r * 0.1, r, col, 0.7);
                        canvas.imageCircle(u - r * 0.15, vv - r * 0.05, r * 0.8, col, 0.95);
                        canvas.imageCircle(u - r * 0.35, vv - r * 0.3, r * 0.3, col, 1.35);
                        canvas.imageCircle(u + r * 0.1, vv - r * 0.95, r * 0.18, col, 0.8);
                    }
                    case 1 -> canvas.box(p.x() - s * 0.7, p.x() + s * 0.7, 0, s, p.z() - s * 0.6, p.z() + s * 0.6, col, col, col, 1);
                    case 2 -> {
                        canvas.groundDisc(p.x(), p.z(), s * 1.2, 0.15, col, 1);
                        canvas.groundDisc(p.x(), p.z(), s * 0.6, 0.15, col, 0.45);
                    }
                    case 3 -> canvas.box(p.x() - 0.12, p.x() + 0.12, 0.1, 0.22, p.z() - 1.1, p.z() + 1.1, col, col, col,
                            1);
                    default -> {
                        canvas.box(p.x() - 0.9, p.x() + 0.9, 0, 0.22, p.z() - 0.5, p.z() + 0.5, col, col, col, 1);
                        canvas.groundQuad(p.x() - 0.9, p.x() + 0.9, p.z() - 0.05, p.z() + 0.05, 0.23, col, 0.7);
                    }
                }
            }
        };
    }

    /** The dump truck's rear (nearest point) position at time t: drives in, stops, drives away. */
    private double truckRearZ(double t) {
        double stopZ = v.pileZ + 1.5;
        double startZ = v.zMin() - 12;
        if (t < Scenario.TRUCK_STOP_AT) {
            double p = (t - Scenario.TRUCK_ENTER_AT) / (Scenario.TRUCK_STOP_AT - Scenario.TRUCK_ENTER_AT);
            return stopZ - (stopZ - startZ) * (1 - p) * (1 - p);
        }
        if (t < Scenario.TRUCK_LEAVE_AT) {
            return stopZ;
        }
        double dt = t - Scenario.TRUCK_LEAVE_AT;
        return stopZ + 1.6 * dt * dt;
    }

    /**
     * A two-axle-tandem tipper seen from behind and one side, as a street camera sees one: dual tyres with hubs under
     * a chassis the road shows through, mud flaps, an underrun bar, a plate, tail lamps, a ribbed open body with its
     * load on top and a cab with a window and a mirror. The shipped COCO detector is the judge of "looks like a
     * truck": the plain boxes drawn before read as nothing or as a car.
     */
    private Drawable truck(double t) {
        double z0 = truckRearZ(t);
        double x = v.pileX;
        double[] cab = shade(v.truckCab, 1, z0 + 5.5);
        double[] body = shade(v.truckBody, 1, z0);
        double[] under = shade(UNDERBODY, 1, z0);
        double[] tyre = shade(TYRE, 1, z0);
        double[] hub = shade(HUB, 1, z0);
        double[] steel = shade(IRON, 1, z0);
        double[] load = shade(LOAD, 1, z0 + 2);
        double[] glass = shade(GLASS, 1, z0 + 6);
        double[] plate = shade(PLATE, 1, z0);
        boolean open = t >= Scenario.DUMP_START_AT - 0.5 && t < Scenario.DUMP_END_AT + 0.5;
        boolean night = v.lighting.lampsOn();
        // The side the camera sees: details go on that face.
        double side = v.camX < x ? -1 : 1;
        double sx = x + side * 1.25;
        return new Drawable() {
            @Override
            public double z() {
                return z0;
            }

            @Override
            public void shadow() {
                canvas.groundQuad(x - 1.4, x + 1.6, z0 - 0.3, z0 + 7.8, 0, null, 1);
            }

            @Override
            public void draw() {
                canvas.box(x - 1.1, x + 1.1, 0, 1.0, z0 + 0.3, z0 + 7.5, under, under, under, 1);
                for (double zc : new double[] {z0 + 1.3, z0 + 2.55, z0 + 6.4}) {
                    boolean front = zc > z0 + 5;
                    double inner = front ? 0.85 : 0.62;
                    for (double dir : new double[] {-1, 1}) {
                        double a = x + dir * inner;
                        double b = x + dir * 1.22;
                        canvas.box(Math.min(a, b), Math.max(a, b), 0, 1.04, zc - 0.52, zc + 0.52, tyre, tyre, tyre, 1);
                    }
                }
                // Mud flaps behind the rear wheels and the underrun bar: what a truck's back shows at road level.
                for (double dir : new double[] {-1, 1}) {
                    canvas.polygon(new double[] {x + dir * 0.62, 0.15, z0 + 0.55, x + dir * 1.22, 0.15, z0 + 0.55,
                        x + dir * 1.22, 0.9, z0 + 0.55, x + dir * 0.62, 0.9, z0 + 0.55}, shade(BLACK, 1, z0), 1);
                }
                canvas.box(x - 1.1, x + 1.1, 0.42, 0.6, z0 + 0.05, z0 + 0.2, steel, steel, steel, 1);
                // The cab ahead of the body with its side window.
                canvas.box(x - 1.2, x + 1.2, 0.6, 3.0, z0 + 5.4, z0 + 7.6, cab, cab, cab, 1);
                canvas.box(x - 1.1, x + 1.1, 2.0, 2.9, z0 + 7.0, z0 + 7.5, glass, null, null, 1);
                double cx = x + side * 1.205;
                canvas.polygon(new double[] {cx, 2.0, z0 + 6.0, cx, 2.0, z0 + 7.3, cx, 2.85, z0 + 7.3, cx, 2.85, z0 + 6.0},
                        glass, 1);
                // The open tipper body: its load shows from above, ribs stand out on its side and back.
                canvas.box(x - 1.25, x + 1.25, 1.05, 2.95, z0, z0 + 5.2, body, body, body, 1);
                // Open at the top: the inner walls in shade, the load lower down inside them.
                canvas.polygon(new double[] {x - 1.12, 2.95, z0 + 0.12, x + 1.12, 2.95, z0 + 0.12, x + 1.12, 2.95,
                    z0 + 5.08, x - 1.12, 2.95, z0 + 5.08}, body, 0.45);
                canvas.polygon(new double[] {x - 1.05, 2.45, z0 + 0.5, x + 1.05, 2.45, z0 + 0.5, x + 1.05, 2.45,
                    z0 + 4.9, x - 1.05, 2.45, z0 + 4.9}, load, 1);
                for (double zr = z0 + 0.6; zr < z0 + 5.2; zr += 1.1) {
                    canvas.worldLine(sx, 1.1, zr, sx, 2.9, zr, 0.1, steel, 0.8);
                }
                canvas.worldLine(sx, 1.08, z0, sx, 1.08, z0 + 5.2, 0.1, steel, 0.6);
                double[] gate = open ? shade(new double[] {30, 32, 35}, 1, z0) : body;
                canvas.polygon(new double[] {x - 1.15, 1.1, z0 - 0.02, x + 1.15, 1.1, z0 - 0.02, x + 1.15, 2.9,
                    z0 - 0.02, x - 1.15, 2.9, z0 - 0.02}, gate, open ? 1 : 0.8);
                // The tailgate's frame and hinges: dark steel edges, as on a real body, not a painted grid.
                canvas.worldLine(x - 1.22, 1.08, z0 - 0.03, x - 1.22, 2.93, z0 - 0.03, 0.1, steel, 0.7);
                canvas.worldLine(x + 1.22, 1.08, z0 - 0.03, x + 1.22, 2.93, z0 - 0.03, 0.1, steel, 0.7);
                canvas.worldLine(x - 1.22, 2.9, z0 - 0.03, x + 1.22, 2.9, z0 - 0.03, 0.12, steel, 0.7);
                canvas.worldLine(x - 1.22, 1.1, z0 - 0.03, x + 1.22, 1.1, z0 - 0.03, 0.12, steel, 0.7);
                for (double xr = x - 0.6; xr <= x + 0.61; xr += 1.2) {
                    canvas.worldLine(xr, 1.1, z0 - 0.03, xr, 2.9, z0 - 0.03, 0.08, steel, 0.8);
                }
                // Contour marking tape (required on trucks here): it shines in headlights and lamp light.
                double[] tape = night ? new double[] {60, 190, 255} : new double[] {40, 160, 230};
                double tk = night ? 1.0 / v.lighting.ambient : 1;
                canvas.worldLine(x - 1.2, 1.2, z0 - 0.04, x + 1.2, 1.2, z0 - 0.04, 0.09, tape, tk);
                canvas.worldLine(sx, 1.2, z0, sx, 1.2, z0 + 5.2, 0.09, tape, tk);
                canvas.polygon(new double[] {x - 0.26, 0.64, z0 - 0.04, x + 0.26, 0.64, z0 - 0.04, x + 0.26, 0.78,
                    z0 - 0.04, x - 0.26, 0.78, z0 - 0.04}, plate, night ? 0.8 : 1);
                double[] tail = night ? new double[] {90, 90, 255} : new double[] {40, 40, 190};
                canvas.box(x - 1.2, x - 0.85, 0.62, 0.85, z0 - 0.1, z0, tail, tail, tail, night ? 1.4 : 1);
                canvas.box(x + 0.85, x + 1.2, 0.62, 0.85, z0 - 0.1, z0, tail, tail, tail, night ? 1.4 : 1);
                // The wheels' outer faces last, in the plane of the body's side.
                for (double zc : new double[] {z0 + 1.3, z0 + 2.55, z0 + 6.4}) {
                    wheelSide(x + side * 1.22, zc, tyre, hub);
                }
            }
        };
    }

    /** A wheel's outer face: a dark tyre disc in the plane x = {@code xs}, a lighter hub inside. */
    private void wheelSide(double xs, double zc, double[] tyre, double[] hub) {
        int n = 18;
        double[] outer = new double[3 * n];
        double[] inner = new double[3 * n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            outer[3 * i] = xs;
            outer[3 * i + 1] = 0.52 + 0.52 * Math.sin(a);
            outer[3 * i + 2] = zc + 0.52 * Math.cos(a);
            inner[3 * i] = xs;
            inner[3 * i + 1] = 0.52 + 0.27 * Math.sin(a);
            inner[3 * i + 2] = zc + 0.27 * Math.cos(a);
        }
        canvas.polygon(outer, tyre, 1);
        canvas.polygon(inner, hub, 1);
    }

    /** Bright lamps and headlights bleed into their surroundings in a real camera at night. */
    private void bloom() {
        frame.data().get(pix);
        byte[] bright = new byte[pix.length];
        for (int i = 0; i < PIXELS; i++) {
            int o = 3 * i;
            int sum = (pix[o] & 0xFF) + (pix[o + 1] & 0xFF) + (pix[o + 2] & 0xFF);
            if (sum > 720) {
                bright[o] = pix[o];
                bright[o + 1] = pix[o + 1];
                bright[o + 2] = pix[o + 2];
            }
        }
        glow.data().put(bright);
        GaussianBlur(glow, glow, blurGlow, 7);
        glow.data().get(bright);
        for (int i = 0; i < pix.length; i++) {
            int c = (pix[i] & 0xFF) + (int) ((bright[i] & 0xFF) * 1.2);
            pix[i] = (byte) (c > 255 ? 255 : c);
        }
        frame.data().put(pix);
    }

    @Override
    public void close() {
        canvas.close();
        frame.close();
        shadow.close();
        glow.close();
        blur3.close();
        blur7.close();
        blurGlow.close();
        textAt.close();
        white.close();
        black.close();
    }
}

package kz.ikomek.vision.simulator.scene;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Writes labelled still frames of the simulated streets for training and evaluating detectors, in
 * the layout {@code eval} reads: {@code DIR/<label>/*.png}, plus {@code DIR/boxes.csv} with the
 * pixel box of each open manhole and waste pile (snow and flood cover the road: no box). A frame goes under a label only when the
 * condition is plainly visible (snow settled, water spread, cover off, waste left); frames of the
 * dumping truck before anything is dumped go under {@code clear} as {@code truck_*.png}, the hard
 * negatives for the dumping detector.
 */
public final class FrameDumper {

    /** Frames taken from one street (seed): different moments, so traffic and light differ. */
    private static final int FRAMES_PER_SEED = 3;

    private FrameDumper() {
    }

    /** A label's frames: which scenario, and the window of loop time where the label is true. */
    private record Window(String label, Scenario scenario, double from, double to, String prefix) {
    }

    private static List<Window> windows() {
        return List.of(
                new Window("clear", Scenario.CLEAR, 0, Scenario.LOOP_SECONDS, "clear"),
                new Window("snow", Scenario.SNOW, Scenario.SNOW_FULL_AT * 0.75, Scenario.LOOP_SECONDS, "snow"),
                new Window("flood", Scenario.FLOOD, Scenario.FLOOD_FULL_AT * 0.7, Scenario.LOOP_SECONDS, "flood"),
                new Window("open_manhole", Scenario.OPEN_MANHOLE, Scenario.MANHOLE_OPEN_AT + 0.5,
                        Scenario.LOOP_SECONDS, "open_manhole"),
                new Window("dumping", Scenario.DUMPING, Scenario.DUMP_END_AT, Scenario.LOOP_SECONDS, "dumping"),
                new Window("clear", Scenario.DUMPING, Scenario.TRUCK_ENTER_AT + 1.5, Scenario.DUMP_START_AT - 0.2,
                        "truck"));
    }

    /**
     * Renders {@code perLabel} frames per label (and a third as many truck frames under clear) from
     * seeds firstSeed, firstSeed+1, ... into dir. Returns the number of files written.
     */
    public static int dump(Path dir, int perLabel, long firstSeed, int threads) {
        List<Runnable> jobs = new ArrayList<>();
        AtomicInteger written = new AtomicInteger();
        List<String> boxes = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Window w : windows()) {
            Path out = dir.resolve(w.label());
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + out, e);
            }
            int frames = w.prefix().equals("truck") ? Math.max(FRAMES_PER_SEED, perLabel / 3) : perLabel;
            int seeds = (frames + FRAMES_PER_SEED - 1) / FRAMES_PER_SEED;
            for (int s = 0; s < seeds; s++) {
                long seed = firstSeed + s;
                int first = s * FRAMES_PER_SEED;
                int count = Math.min(FRAMES_PER_SEED, frames - first);
                jobs.add(() -> {
                    try (StreetScene scene = new StreetScene(w.scenario(), seed)) {
                        for (int k = 0; k < count; k++) {
                            // Spread the moments over the window, offset per seed so streets differ in traffic.
                            double frac = (k + 0.5 + 0.37 * (seed % 3)) / (count + 1.0);
                            double t = w.from() + (w.to() - w.from()) * Math.min(0.999, frac);
                            Mat img = scene.render(t);
                            String name = String.format(Locale.ROOT, "%s_s%04d_t%05.1f_%s.png", w.prefix(), seed, t,
                                    scene.lighting());
                            imwrite(out.resolve(name).toString(), img);
                            written.incrementAndGet();
                            int[] box = scene.incidentBox(t);
                            if (box != null && !w.prefix().equals("truck")) {
                                boxes.add(w.label() + "/" + name + "," + w.label() + "," + box[0] + "," + box[1] + ","
                                        + box[2] + "," + box[3]);
                            }
                        }
                    }
                });
            }
        }
        runAll(jobs, threads);
        List<String> sorted = new ArrayList<>(boxes);
        java.util.Collections.sort(sorted);
        sorted.add(0, "file,label,x,y,width,height");
        try {
            Files.write(dir.resolve("boxes.csv"), sorted);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("boxes.csv"), e);
        }
        return written.get();
    }

    /**
     * A grid of the five scenarios (rows) on four streets each, one per lighting (day, overcast, dusk,
     * night), with the time of each frame; the dumping row follows one daylight street through the event.
     */
    public static void contactSheet(Path file, long firstSeed) {
        int cols = 4;
        int w = StreetScene.WIDTH / 2;
        int h = StreetScene.HEIGHT / 2;
        Scenario[] rows = Scenario.values();
        double[][] times = {
            {8, 20, 35, 50},
            {12, 25, 40, 55},
            {8, 25, 40, 55},
            {10, 25, 40, 55},
            {6, 15, 21, 40},
        };
        try (Mat sheet = new Mat(h * rows.length, w * cols, CV_8UC3, new Scalar(0, 0, 0, 0));
             Size size = new Size(w, h)) {
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < cols; c++) {
                    Lighting light = rows[r] == Scenario.DUMPING ? Lighting.DAY : Lighting.values()[c];
                    long seed = firstSeed + r * 10L;
                    while (new SceneVariant(seed).lighting != light) {
                        seed++;
                    }
                    try (StreetScene scene = new StreetScene(rows[r], seed);
                         Rect cell = new Rect(c * w, r * h, w, h);
                         Mat target = sheet.apply(cell)) {
                        resize(scene.render(times[r][c]), target, size, 0, 0, INTER_AREA);
                        String label = String.format(Locale.ROOT, "%s  seed %d  t=%.0fs", rows[r], seed, times[r][c]);
                        try (Point at = new Point(6, h - 8); Scalar yellow = new Scalar(0, 255, 255, 0)) {
                            putText(target, label, at, FONT_HERSHEY_SIMPLEX, 0.42, yellow, 1, LINE_AA, false);
                        }
                    }
                }
            }
            imwrite(file.toString(), sheet);
        }
    }

    private static void runAll(List<Runnable> jobs, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable j : jobs) {
                futures.add(pool.submit(j));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("frame dump interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("frame dump failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code FrameDumper DIR [perLabel] [firstSeed]}, or {@code FrameDumper --sheet FILE [firstSeed]}. */
    public static void main(String[] args) {
        if (args.length >= 2 && args[0].equals("--sheet")) {
            contactSheet(Path.of(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 1);
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "sim-frames");
        int per = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        long first = args.length > 2 ? Long.parseLong(args[2]) : 1;
        long start = System.nanoTime();
        int n = dump(dir, per, first, Runtime.getRuntime().availableProcessors());
        System.out.printf("wrote %d frames to %s in %.1f s%n", n, dir, (System.nanoTime() - start) / 1e9);
    }
}

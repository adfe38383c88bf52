package kz.ikomek.vision.benchmarks.jmh;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.Observation;
import kz.ikomek.vision.detectors.scene.Score;
import kz.ikomek.vision.detectors.track.DumpingPolicy;
import kz.ikomek.vision.detectors.track.DumpingTracker;
import kz.ikomek.vision.detectors.track.TrackerPolicy;
import kz.ikomek.vision.detectors.track.ZoneTracker;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One observation into the detectors' trackers.
 * <ul>
 *   <li>{@link #zoneTracker}: the hysteresis tracker with the production flood policy (4 of 5, 10 s, clear after
 *   10 min) at the flood cadence (30 s), fed a repeating story: 12 positive looks (raises at the 4th), 24 negative
 *   (clears after 10 min), 10 flickering (never raises). The evidence supplier hands a ready frame: JPEG encoding
 *   is the renderer's cost, not the tracker's.</li>
 *   <li>{@link #dumpingQuietLook}: the dumping event tracker's look at a quiet no-dumping zone (the common case,
 *   its motion gate): thumbnail of the zone, difference to the background, blobs, background update.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
public class TrackerBenchmark {

    private static final Instant T0 = Instant.parse("2026-03-10T06:00:00Z");
    private static final boolean[] STORY = story();

    private final CameraSite site = new CameraSite("cam-0001", new GeoPoint(51.1282, 71.4307), "Kabanbay Batyr Ave 1",
            List.of());
    private final Evidence evidence = new Evidence("frame", "0".repeat(64), T0, new byte[0]);
    private ZoneTracker zone;
    private long look;
    private DumpingTracker dumping;
    private Mat street;
    private long dumpingLook;

    private static boolean[] story() {
        boolean[] s = new boolean[12 + 24 + 10];
        for (int i = 0; i < 12; i++) {
            s[i] = true;
        }
        for (int i = 36; i < s.length; i += 2) {
            s[i] = true;
        }
        return s;
    }

    @Setup(Level.Trial)
    public void prepare() throws DetectorException {
        zone = new ZoneTracker(site, "road", IncidentType.FLOOD, TrackerPolicy.defaults().get(IncidentType.FLOOD));
        Zone noDumping = new Zone("yard", List.of(new Zone.Point(0.1, 0.5), new Zone.Point(0.9, 0.5),
                new Zone.Point(0.95, 0.95), new Zone.Point(0.05, 0.95)), EnumSet.of(IncidentType.DUMPING));
        Score clear = Score.of(0.1, 0.5, null);
        // A quiet street never opens the motion gate: neither check is reached.
        dumping = new DumpingTracker(site, noDumping, DumpingPolicy.defaults(), (bgr, region) -> clear,
                (bgr, region) -> List.of());
        street = SyntheticFrame.of(640, 360, 7);
        dumping.observe(T0, street);      // the first look only learns the background
    }

    @TearDown(Level.Trial)
    public void release() {
        dumping.close();
        street.close();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Optional<ZoneTracker.Change> zoneTracker() {
        long i = look++;
        boolean positive = STORY[(int) (i % STORY.length)];
        Observation o = new Observation("cam-0001", "road", IncidentType.FLOOD, positive ? 0.9 : 0.1, positive, null,
                T0.plusSeconds(30 * i));
        return zone.observe(o, () -> evidence);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Optional<Candidate> dumpingQuietLook() throws DetectorException {
        return dumping.observe(T0.plusSeconds(2 * ++dumpingLook), street);
    }
}

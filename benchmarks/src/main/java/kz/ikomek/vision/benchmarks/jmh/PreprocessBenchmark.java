package kz.ikomek.vision.benchmarks.jmh;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.inference.ZoneCrop;
import kz.ikomek.vision.detectors.model.InputSpec;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One zone of a 640x360 frame made ready for the model, exactly as the detectors do it ({@link ZoneCrop#of}: crop
 * to the polygon's bounding box, fill outside the polygon with the model's mean colour, resize to the model's
 * input, channel order, normalise, CHW floats), with the input spec of the card the pipeline loads.
 * {@code zone=polygon} is a road trapezoid (the mask is drawn), {@code zone=rectangle} the lower half (no mask).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PreprocessBenchmark {

    @Param({"polygon", "rectangle"})
    public String zone;

    private Mat frame;
    private Zone watched;
    private InputSpec spec;

    @Setup(Level.Trial)
    public void prepare() {
        spec = InferenceBenchmark.productionModel("").card().input();
        frame = SyntheticFrame.of(640, 360, 42);
        EnumSet<IncidentType> all = EnumSet.allOf(IncidentType.class);
        watched = switch (zone) {
            case "polygon" -> new Zone("road", List.of(new Zone.Point(0.35, 0.45), new Zone.Point(0.65, 0.45),
                    new Zone.Point(1.0, 1.0), new Zone.Point(0.0, 1.0)), all);
            case "rectangle" -> Zone.rectangle("road", 0, 0.5, 1, 1, all);
            default -> throw new IllegalArgumentException("zone: polygon or rectangle, got " + zone);
        };
    }

    @TearDown(Level.Trial)
    public void release() {
        frame.close();
    }

    @Benchmark
    public float[] zoneCrop() {
        return ZoneCrop.of(frame, watched, spec).tensor();
    }
}

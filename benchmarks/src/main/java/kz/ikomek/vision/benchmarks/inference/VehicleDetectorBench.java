package kz.ikomek.vision.benchmarks.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;
import kz.ikomek.vision.benchmarks.Machine;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.inference.InferenceSettings;
import kz.ikomek.vision.detectors.inference.ZoneCrop;
import kz.ikomek.vision.detectors.model.ModelCard;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;
import kz.ikomek.vision.detectors.objects.ObjectDetector;
import kz.ikomek.vision.detectors.track.DumpingTracker;
import kz.ikomek.vision.detectors.zone.Zone;
import kz.ikomek.vision.simulator.scene.Scenario;
import kz.ikomek.vision.simulator.scene.StreetScene;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * {@code ikomek-vision bench inference vehicles [--seconds S] [--rounds R] [--json OUT]}: one call of the dumping
 * tracker's vehicle check (the COCO CenterNet, card kind {@code detections}) as the tracker makes it — a square of a
 * rendered street around the parked truck cropped, resized to 512×512 and laid out NHWC, the model run through DJL,
 * the detections decoded — against the raw ONNX Runtime Java API running the same model on the same ready tensor,
 * same session options (one intra-op thread, so all the work is on the measured thread). Rounds alternate as in
 * {@link InferenceBench}; the figures are medians of per-round mean CPU ms per call.
 */
public final class VehicleDetectorBench {

    private VehicleDetectorBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Path out = Path.of(opts.getOrDefault("--json", "benchmarks/results/vehicle-detector.json"));
        double seconds = Double.parseDouble(opts.getOrDefault("--seconds", "3"));
        int rounds = Integer.parseInt(opts.getOrDefault("--rounds", "5"));
        ModelFile file = ModelCatalog.fromClasspath().stream()
                .filter(f -> f.card().kind() == ModelCard.Kind.DETECTIONS).findFirst()
                .orElseThrow(() -> new IllegalStateException("no model card of kind detections on the classpath"));
        InferenceSettings settings = new InferenceSettings(1, 1, Duration.ZERO);
        Map<String, Object> report = new LinkedHashMap<>();
        try (StreetScene scene = new StreetScene(Scenario.DUMPING, 9);
             ObjectDetector detector = new ObjectDetector(file, settings);
             OrtEnvironment env = OrtEnvironment.getEnvironment();
             OrtSession.SessionOptions options = settings.sessionOptions();
             OrtSession raw = env.createSession(file.onnx(), options)) {
            double t = Scenario.TRUCK_STOP_AT + 1;
            Mat frame = scene.render(t).clone();
            int[] b = scene.truckBox(t);
            int side = Math.min(frame.rows(), 3 * Math.max(b[2], b[3]));
            Box region = new Box(Math.max(0, Math.min(frame.cols() - side, b[0] + b[2] / 2 - side / 2)),
                    Math.max(0, Math.min(frame.rows() - side, b[1] + b[3] / 2 - side / 2)), side, side);
            float[] tensor = ZoneCrop.of(frame, Zone.around("r", region, frame.cols(), frame.rows(), java.util.Set.of()),
                    file.card().input()).tensor();
            FloatBuffer direct = ByteBuffer.allocateDirect(tensor.length * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            long[] shape = file.card().input().shape(1);
            String inputName = raw.getInputNames().iterator().next();
            Runnable ours = () -> {
                try {
                    consume(detector.detect(frame, region, DumpingTracker.VEHICLE_LABELS).size());
                } catch (DetectorException e) {
                    throw new IllegalStateException(e);
                }
            };
            Runnable reference = () -> {
                direct.clear();
                direct.put(tensor);
                direct.flip();
                try (OnnxTensor in = OnnxTensor.createTensor(env, direct, shape);
                     OrtSession.Result r = raw.run(Map.of(inputName, in))) {
                    consume(((OnnxTensor) r.get(0)).getFloatBuffer().get(4));
                } catch (OrtException e) {
                    throw new IllegalStateException(e);
                }
            };
            InferenceBench.run(ours, 2);
            InferenceBench.run(reference, 2);
            double[][] oursMs = new double[rounds][];
            double[][] rawMs = new double[rounds][];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    oursMs[r] = InferenceBench.run(ours, seconds);
                    rawMs[r] = InferenceBench.run(reference, seconds);
                } else {
                    rawMs[r] = InferenceBench.run(reference, seconds);
                    oursMs[r] = InferenceBench.run(ours, seconds);
                }
            }
            double oCpu = InferenceBench.median(oursMs, 1);
            double rCpu = InferenceBench.median(rawMs, 1);
            report.put("benchmark", "vehicle check: crop + DJL/ORT CenterNet + decode vs raw ORT on the same tensor");
            report.put("at", Instant.now().toString());
            report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                    "java", System.getProperty("java.version"), "cpu", Machine.cpuModel(), "shared", true));
            report.put("model", file.card().name() + " " + file.card().version() + " " + file.card().input());
            report.put("intraOpThreads", 1);
            report.put("oursCpuMsPerCall", InferenceBench.round(oCpu));
            report.put("rawOrtCpuMsPerCall", InferenceBench.round(rCpu));
            report.put("ratio", InferenceBench.round(oCpu / rCpu));
            report.put("oursWallMsPerCall", InferenceBench.round(InferenceBench.median(oursMs, 0)));
            report.put("rawOrtWallMsPerCall", InferenceBench.round(InferenceBench.median(rawMs, 0)));
            report.put("oursRoundsCpuMs", Arrays.stream(oursMs).map(m -> InferenceBench.round(m[1])).toList());
            report.put("rawOrtRoundsCpuMs", Arrays.stream(rawMs).map(m -> InferenceBench.round(m[1])).toList());
            report.put("command", "ikomek-vision bench inference vehicles " + String.join(" ", args));
            System.out.printf("vehicle check: CPU ours %.2f ms, raw ORT %.2f ms per call, ratio %.3f%n", oCpu, rCpu,
                    oCpu / rCpu);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report)
                + "\n");
        System.out.println("wrote " + out);
    }

    private static volatile int blackhole;

    private static void consume(int v) {
        blackhole = v;
    }

    private static void consume(float v) {
        blackhole = (int) v;
    }
}

package kz.ikomek.vision.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kz.ikomek.vision.app.negatives.HardNegativeExport;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentBridge;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.evidence.EvidenceRenderer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export-negatives} as a user runs it: a separate JVM, against a real RocksDB store that a live bridge
 * (this test's JVM, standing in for {@code run}) holds open and locked.
 */
@Tag("integration")
class ExportNegativesIT {

    static final GeoPoint TURAN = new GeoPoint(51.1282, 71.4307);
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path dir;
    Path config;
    Path out;

    @BeforeEach
    void setUp() throws IOException {
        config = dir.resolve("city.yaml");
        Files.writeString(config, """
                storage: { dir: %s }
                cameras:
                  - id: cam-1
                    url: rtsp://127.0.0.1:38001/cam-1
                    location: { lat: 51.1282, lon: 71.4307, address: "Turan Ave 37" }
                    zones:
                      - id: road
                        polygon: [[0.0, 0.5], [1.0, 0.5], [1.0, 1.0], [0.0, 1.0]]
                        detectors: [snow, flood, dumping]
                """.formatted(dir.resolve("data").toString().replace("\\", "/")));
        out = dir.resolve("negatives");
    }

    @Test
    void rejected_incidents_frames_export_beside_a_running_bridge_and_a_rerun_changes_nothing() throws Exception {
        String flood;
        String dumping;
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir.resolve("data/bridge")))) {
            flood = bridge.record(candidate("flood-1", IncidentType.FLOOD, 40, frame("frame", 40))).incident().id();
            dumping = bridge.record(candidate("dump-1", IncidentType.DUMPING, 90, frame("before", 90),
                    frame("after", 130), frame("vehicle", 170))).incident().id();
            String kept = bridge.record(candidate("snow-1", IncidentType.SNOW, 200, frame("frame", 200)))
                    .incident().id();
            bridge.act(flood, IncidentAction.REJECT, "operator", "wet asphalt, no \"pooling\"");
            bridge.act(dumping, IncidentAction.REJECT, "police", "a delivery van, nothing left");

            Result first = export();
            assertThat(first.exit).as(first.err).isZero();
            assertThat(first.out).startsWith("2 rejected incidents: 4 frames in " + out.resolve("clear") + " (4 new)");

            List<Map<String, String>> rows = manifest();
            assertThat(rows).extracting(r -> r.get("incident")).containsOnly(flood, dumping).doesNotContain(kept);
            assertThat(rows).extracting(r -> r.get("role")).containsExactlyInAnyOrder("frame", "before", "after",
                    "vehicle");
            Map<String, String> floodRow = rows.stream().filter(r -> r.get("incident").equals(flood)).findFirst()
                    .orElseThrow();
            assertThat(floodRow).containsEntry("camera", "cam-1").containsEntry("zone", "road")
                    .containsEntry("type", "flood").containsEntry("rejected_by", "operator")
                    .containsEntry("reason", "wet asphalt, no \"pooling\"");
            for (Map<String, String> row : rows) {
                byte[] jpeg = Files.readAllBytes(out.resolve(row.get("file")));
                assertThat(row.get("file")).startsWith("clear/").endsWith(".jpg");
                assertThat(EvidenceFiles.sha256(jpeg)).isEqualTo(row.get("sha256"));
            }

            byte[] manifestBefore = Files.readAllBytes(out.resolve(HardNegativeExport.MANIFEST));
            Result again = export();
            assertThat(again.exit).as(again.err).isZero();
            assertThat(again.out).startsWith("2 rejected incidents: 4 frames in " + out.resolve("clear") + " (0 new)");
            assertThat(Files.readAllBytes(out.resolve(HardNegativeExport.MANIFEST))).isEqualTo(manifestBefore);
            try (Stream<Path> files = Files.list(out.resolve("clear"))) {
                assertThat(files.toList()).hasSize(4);
            }
        }
    }

    @Test
    void a_storage_dir_without_a_store_is_bad_input() throws Exception {
        Result r = export();
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("no incident store there").contains(dir.resolve("data").toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void an_out_that_is_a_file_is_bad_input() throws Exception {
        IncidentBridge.open(BridgeOptions.defaults(dir.resolve("data/bridge"))).close();
        Files.writeString(out, "not a folder");
        Result r = export();
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("--out " + out + ": is a file");
    }

    private Candidate candidate(String event, IncidentType type, int second, Evidence... frames) {
        Instant at = T0.plusSeconds(second);
        return new Candidate(event, "cam-1", "road", type, TURAN, "Turan Ave 37", at, at, 0.8, List.of(frames));
    }

    /** A real JPEG through the pipeline's own renderer, different per role and time. */
    private static Evidence frame(String role, int second) {
        try (Mat street = new Mat(360, 640, CV_8UC3, new Scalar(second % 255, 90, 120, 0))) {
            return EvidenceRenderer.frame(role, T0.plusSeconds(second), street, null,
                    new Box(second, 100, 80, 60));
        }
    }

    private List<Map<String, String>> manifest() throws IOException {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(out.resolve("manifest.csv").toFile())) {
            return it.readAll();
        }
    }

    record Result(int exit, String out, String err) {
    }

    /** The real command in its own JVM, as a shell would start it. */
    private Result export() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "export-negatives",
                "--config", config.toString(), "--out", out.toString()));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("export-negatives did not finish in 120 s");
        }
        return new Result(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}

package kz.ikomek.vision.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kz.ikomek.vision.simulator.scene.Scenario;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void scores_writes_every_readable_image_with_its_score_per_type() throws Exception {
        Files.createDirectories(dir.resolve("clear"));
        Files.createDirectories(dir.resolve("snow"));
        try (Mat grey = new Mat(90, 160, CV_8UC3, new Scalar(120, 120, 120, 0));
             Mat white = new Mat(90, 160, CV_8UC3, new Scalar(240, 240, 240, 0))) {
            imwrite(dir.resolve("clear/grey.png").toString(), grey);
            imwrite(dir.resolve("snow/white.png").toString(), white);
        }
        Files.writeString(dir.resolve("snow/broken.jpg"), "not a jpeg");
        Path csv = dir.resolve("scores.csv");
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("eval", "--images", dir.toString(), "--scores", csv.toString())).isZero();

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("file,label,snow,flood,open_manhole,dumping");
        assertThat(lines).hasSize(3);         // the broken file is reported by the table, not scored
        assertThat(lines.subList(1, 3)).anySatisfy(l -> assertThat(l).contains("grey.png\",clear,"))
                .anySatisfy(l -> assertThat(l).contains("white.png\",snow,"))
                .allSatisfy(l -> {
                    String[] cells = l.substring(l.lastIndexOf('"') + 1).split(",");
                    assertThat(cells).hasSize(6);   // "", label and four scores
                    for (int i = 2; i < 6; i++) {
                        assertThat(Double.parseDouble(cells[i])).isBetween(0.0, 1.0);
                    }
                });
    }

    @Test
    void scores_into_a_missing_directory_exits_2_and_names_it() throws Exception {
        Files.createDirectories(dir.resolve("clear"));
        try (Mat grey = new Mat(90, 160, CV_8UC3, new Scalar(120, 120, 120, 0))) {
            imwrite(dir.resolve("clear/grey.png").toString(), grey);
        }
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("eval", "--images", dir.toString(), "--scores", dir.resolve("no/such.csv").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--scores").contains("does not exist");
    }

    @Test
    void demo_streets_scores_each_street_once_its_incident_is_there_and_dumping_only_where_a_heap_lies() throws Exception {
        Path json = dir.resolve("streets.json");
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("eval", "--demo-streets", "--json", json.toString())).isZero();

        JsonNode streets = new ObjectMapper().readTree(json.toFile()).get("streets");
        assertThat(streets).hasSize(DemoCommand.SCENARIOS.length);
        for (int n = 1; n <= streets.size(); n++) {
            JsonNode street = streets.get(n - 1);
            Scenario scenario = DemoCommand.SCENARIOS[n - 1];
            assertThat(street.get("camera").asText()).isEqualTo("cam-" + String.format("%02d", n));
            assertThat(street.get("scenario").asText()).isEqualTo(scenario.wireName());
            JsonNode types = street.get("types");
            int looks = (int) (Scenario.LOOP_SECONDS - switch (scenario) {
                case SNOW -> Scenario.SNOW_FULL_AT;
                case FLOOD -> Scenario.FLOOD_FULL_AT;
                case OPEN_MANHOLE -> Scenario.MANHOLE_OPEN_AT;
                case DUMPING -> Scenario.TRUCK_GONE_AT;
                case CLEAR -> 0;
            });
            for (String road : List.of("snow", "flood", "open_manhole")) {
                assertThat(types.get(road).get("looks").asInt()).as(street + " " + road).isEqualTo(looks);
            }
            assertThat(types.has("dumping")).as(street.toString()).isEqualTo(scenario == Scenario.DUMPING);
            types.forEach(t -> {
                assertThat(t.get("above").asInt()).isBetween(0, t.get("looks").asInt());
                assertThat(t.get("median").asDouble()).isBetween(0.0, 1.0);
            });
            // The demo's site thresholds replace the card's where the demo config sets one.
            assertThat(types.get("snow").get("threshold").asDouble()).isEqualTo(0.45);
        }
        assertThat(out.toString()).contains("cam-12").contains("lowest own street");
    }

    @Test
    void models_replaces_the_built_in_models_with_a_directory_of_cards() throws Exception {
        oneGreyClearImage();
        // The built-in model with every threshold at 0.01: the same network, so only the card tells them apart.
        Path models = builtInModelWithCard(card -> card.get("thresholds").fieldNames()
                .forEachRemaining(t -> ((ObjectNode) card.get("thresholds")).put(t, 0.01)));
        Path json = dir.resolve("eval.json");
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("eval", "--images", dir.resolve("images").toString(), "--models", models.toString(),
                "--json", json.toString())).isZero();
        JsonNode labels = new ObjectMapper().readTree(json.toFile()).get("labels");
        assertThat(labels.get("snow").get("threshold").asDouble()).isEqualTo(0.01);
        assertThat(labels.get("dumping").get("threshold").asDouble()).isEqualTo(0.01);

        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("eval", "--images", dir.resolve("images").toString(), "--models",
                dir.resolve("images").toString())).isEqualTo(2);
        assertThat(err.toString()).contains(dir.resolve("images").toString()).contains("no model card");
    }

    @Test
    void a_model_that_scores_flood_only_is_evaluated_on_flood_alone() throws Exception {
        oneGreyClearImage();
        // The built-in network with its other outputs renamed: labels that name no type are ignored.
        Path models = builtInModelWithCard(card -> ((ObjectNode) card.get("output")).putArray("labels")
                .add("not-snow").add("flood").add("not-manhole").add("not-dumping"));
        Path json = dir.resolve("eval.json");
        Path csv = dir.resolve("scores.csv");
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("eval", "--images", dir.resolve("images").toString(), "--models", models.toString(),
                "--json", json.toString(), "--scores", csv.toString())).isZero();
        List<String> labels = new ArrayList<>();
        new ObjectMapper().readTree(json.toFile()).get("labels").fieldNames().forEachRemaining(labels::add);
        assertThat(labels).containsExactly("flood", "clear");
        assertThat(Files.readAllLines(csv)).hasSize(2).first().isEqualTo("file,label,flood");
    }

    @Test
    void eval_without_images_or_demo_streets_exits_2_and_says_what_it_needs() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("eval")).isEqualTo(2);
        assertThat(err.toString()).contains("--images").contains("--demo-streets");
        assertThat(cli.execute("eval", "--images", dir.toString(), "--demo-streets")).isEqualTo(2);
    }

    /** DIR/images/clear/grey.png. */
    private void oneGreyClearImage() throws IOException {
        Files.createDirectories(dir.resolve("images/clear"));
        try (Mat grey = new Mat(90, 160, CV_8UC3, new Scalar(120, 120, 120, 0))) {
            imwrite(dir.resolve("images/clear/grey.png").toString(), grey);
        }
    }

    /** DIR/models: the built-in ONNX file with its card as {@code edit} leaves it (the SHA-256 covers the ONNX only). */
    private Path builtInModelWithCard(Consumer<ObjectNode> edit) throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        try (InputStream onnx = getClass().getResourceAsStream("/models/ikomek-incidents.onnx");
             InputStream card = getClass().getResourceAsStream("/models/ikomek-incidents.card.json")) {
            Files.copy(onnx, models.resolve("ikomek-incidents.onnx"));
            ObjectNode parsed = (ObjectNode) new ObjectMapper().readTree(card);
            edit.accept(parsed);
            new ObjectMapper().writeValue(models.resolve("ikomek-incidents.card.json").toFile(), parsed);
        }
        return models;
    }
}

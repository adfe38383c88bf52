package kz.ikomek.vision.models.cards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.Test;

/** The cards shipped under /models/ are the team contract the runtime loads: check them as it would. */
class ShippedModelCardsTest {

    private static final Path DIR = Path.of("src/main/resources/models");

    private static List<Path> cards() throws Exception {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".card.json")).sorted().toList();
        }
    }

    @Test
    void every_card_names_an_onnx_file_with_its_sha256() throws Exception {
        assertThat(cards()).isNotEmpty();
        for (Path card : cards()) {
            JsonNode c = new ObjectMapper().readTree(card.toFile());
            Path onnx = DIR.resolve(c.get("file").asText());
            assertThat(onnx).exists();
            byte[] digest;
            try (InputStream in = Files.newInputStream(onnx)) {
                digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            }
            assertThat(c.get("sha256").asText()).as(card.toString()).isEqualTo(HexFormat.of().formatHex(digest));
        }
    }

    @Test
    void the_cards_cover_each_incident_type_with_a_threshold_and_every_screen_is_shipped() throws Exception {
        Set<String> covered = new TreeSet<>();
        Map<String, Set<String>> labelsByCard = new TreeMap<>();
        List<JsonNode> screened = new ArrayList<>();
        for (Path card : cards()) {
            JsonNode c = new ObjectMapper().readTree(card.toFile());
            if (c.get("kind").asText().equals("detections")) {
                continue;    // the vehicle detector scores no incident type; see below
            }
            assertThat(c.get("kind").asText()).isIn("multilabel-classifier", "softmax-classifier");
            JsonNode in = c.get("input");
            assertThat(in.get("name").asText()).isNotBlank();
            assertThat(in.get("width").asInt()).isPositive();
            assertThat(in.get("height").asInt()).isPositive();
            assertThat(in.get("channels").asText()).isEqualTo("RGB");
            assertThat(in.get("mean")).hasSize(3);
            assertThat(in.get("std")).hasSize(3);
            assertThat(c.get("output").get("activation").asText()).isIn("sigmoid", "softmax", "none");
            Set<String> labels = new TreeSet<>();
            for (JsonNode label : c.get("output").get("labels")) {
                labels.add(label.asText());
                if (IncidentType.fromWire(label.asText()).isPresent()) {
                    covered.add(label.asText());
                    double t = c.get("thresholds").get(label.asText()).asDouble();
                    assertThat(t).as(label.asText()).isGreaterThan(0.0).isLessThan(1.0);
                }
            }
            labelsByCard.put(c.get("name").asText(), labels);
            if (c.has("screen")) {
                screened.add(c);
            }
        }
        assertThat(covered).containsExactlyInAnyOrder(
                java.util.Arrays.stream(IncidentType.values()).map(IncidentType::wireName).toArray(String[]::new));
        // a cascade's screen must be shipped too and score what it screens, or the runtime refuses to start
        for (JsonNode c : screened) {
            String screen = c.get("screen").get("model").asText();
            assertThat(labelsByCard).as(c.get("name").asText() + " screen").containsKey(screen);
            c.get("screen").get("below").fieldNames()
                    .forEachRemaining(type -> assertThat(labelsByCard.get(screen)).contains(type));
        }
    }

    @Test
    void the_vehicle_detector_card_names_its_layout_its_vehicle_thresholds_and_its_licences() throws Exception {
        JsonNode c = new ObjectMapper().readTree(DIR.resolve("coco-centernet.card.json").toFile());
        assertThat(c.get("kind").asText()).isEqualTo("detections");
        assertThat(c.get("input").get("layout").asText()).isEqualTo("NHWC");
        assertThat(c.get("output").get("labels")).hasSize(80);
        for (String vehicle : List.of("car", "bus", "truck")) {
            assertThat(c.get("thresholds").get(vehicle).asDouble()).as(vehicle).isGreaterThan(0.0).isLessThan(1.0);
        }
        assertThat(c.get("source").get("licence").asText()).contains("MIT", "CC BY 4.0");
        assertThat(Files.readString(DIR.resolve("coco-centernet.md"))).contains("MIT", "CC BY 4.0",
                "models/training/centernet.py --out", c.get("sha256").asText());
    }
}

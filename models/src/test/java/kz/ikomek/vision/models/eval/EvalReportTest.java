package kz.ikomek.vision.models.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {

    @TempDir
    Path dir;

    @Test
    void json_has_exactly_images_and_per_label_counts() throws Exception {
        Confusion snow = new Confusion();
        snow.add(true, true);
        snow.add(false, true);
        Map<String, EvalReport.LabelResult> labels = new LinkedHashMap<>();
        labels.put("snow", EvalReport.LabelResult.of(snow, 0.57));
        labels.put("clear", EvalReport.LabelResult.of(new Confusion(), null));
        Path out = dir.resolve("eval.json");

        new EvalReport(2, labels, List.of("x.jpg: broken")).writeJson(out);

        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.fieldNames()).toIterable().containsExactly("images", "labels");
        assertThat(root.get("images").asInt()).isEqualTo(2);
        JsonNode s = root.get("labels").get("snow");
        assertThat(s.fieldNames()).toIterable()
                .containsExactly("precision", "recall", "f1", "threshold", "tp", "fp", "fn", "tn");
        assertThat(s.get("precision").asDouble()).isEqualTo(0.5);
        assertThat(s.get("threshold").asDouble()).isEqualTo(0.57);
        assertThat(root.get("labels").get("clear").get("threshold").isNull()).isTrue();
    }

    @Test
    void table_lists_every_label_and_the_unreadable_files() {
        Map<String, EvalReport.LabelResult> labels = new LinkedHashMap<>();
        labels.put("flood", EvalReport.LabelResult.of(new Confusion(), 0.9));
        String table = new EvalReport(0, labels, List.of("bad.png: not a decodable JPEG/PNG image")).table();
        assertThat(table).contains("flood").contains("0.90").contains("1 unreadable").contains("bad.png");
    }
}

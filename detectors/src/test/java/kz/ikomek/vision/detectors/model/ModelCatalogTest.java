package kz.ikomek.vision.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.detectors.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {

    @TempDir
    Path dir;

    @Test
    void a_directory_yields_one_model_per_card() {
        assertThat(ModelCatalog.fromDirectory(TestModels.dir())).extracting(m -> m.card().name())
                .contains("tiny", "tinyyolo", "tinyvehicles");
    }

    @Test
    void a_directory_without_cards_is_refused_by_name_rather_than_scoring_nothing() throws Exception {
        Files.writeString(dir.resolve("model.onnx"), "an ONNX file without its card");
        assertThatThrownBy(() -> ModelCatalog.fromDirectory(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining(".card.json");
    }

    @Test
    void a_missing_directory_is_named() {
        Path missing = dir.resolve("no-such-models");
        assertThatThrownBy(() -> ModelCatalog.fromDirectory(missing)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void a_card_whose_onnx_file_is_missing_names_both() throws Exception {
        Files.copy(TestModels.dir().resolve("tiny.card.json"), dir.resolve("tiny.card.json"));
        assertThatThrownBy(() -> ModelCatalog.fromDirectory(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("tiny.card.json").hasMessageContaining("tiny.onnx");
    }
}

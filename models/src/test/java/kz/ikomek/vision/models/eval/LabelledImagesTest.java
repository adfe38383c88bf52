package kz.ikomek.vision.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kz.ikomek.vision.config.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledImagesTest {

    @TempDir
    Path dir;

    @Test
    void lists_images_under_label_folders_only() throws Exception {
        Files.createDirectories(dir.resolve("snow"));
        Files.createDirectories(dir.resolve("clear"));
        Files.createDirectories(dir.resolve("cats"));
        Files.writeString(dir.resolve("snow/b.JPG"), "x");
        Files.writeString(dir.resolve("snow/a.png"), "x");
        Files.writeString(dir.resolve("snow/notes.txt"), "x");
        Files.writeString(dir.resolve("clear/c.jpeg"), "x");
        Files.writeString(dir.resolve("cats/d.jpg"), "x");
        Files.createDirectories(dir.resolve("clear/source-2"));
        Files.writeString(dir.resolve("clear/source-2/e.webp"), "x");

        var images = LabelledImages.scan(dir);

        assertThat(images).extracting(i -> i.label() + "/" + dir.resolve(i.label()).relativize(i.path()))
                .containsExactly("snow/a.png", "snow/b.JPG", "clear/c.jpeg", "clear/source-2/e.webp");
    }

    @Test
    void a_missing_directory_is_bad_input_naming_it() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> LabelledImages.scan(missing))
                .isInstanceOf(BadInputException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void a_directory_without_label_folders_is_bad_input_naming_the_layout() throws Exception {
        Files.createDirectories(dir.resolve("photos"));
        assertThatThrownBy(() -> LabelledImages.scan(dir))
                .isInstanceOf(BadInputException.class).hasMessageContaining("<label>/*.jpg|png");
    }
}

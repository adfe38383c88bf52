package kz.ikomek.vision.app;

import java.nio.file.Path;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import picocli.CommandLine.Option;

/**
 * {@code --models DIR}, one option for {@code detect}, {@code eval} and {@code demo}: the built-in models unless a
 * directory of cards and ONNX files is given. detect and eval {@link #open() open} a scorer on it; demo writes the
 * folder into its config's {@code models.dir}, which its workers read.
 */
final class ModelsOption {

    @Option(names = "--models", paramLabel = "DIR",
            description = "a directory of NAME.card.json + NAME.onnx instead of the built-in models")
    Path dir;

    /** A scorer over the chosen models; the caller closes it. */
    SceneScorer open() {
        return dir == null ? SceneScorer.loadDefault() : SceneScorer.load(dir);
    }
}

package kz.ikomek.vision.models.eval;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import kz.ikomek.vision.config.BadInputException;

/**
 * The eval layout: DIR/&lt;label&gt;/*.jpg|jpeg|png with labels snow, flood, open_manhole, dumping, clear. Also read:
 * images in subfolders of a label folder (a dataset kept by source or by day) and the other formats OpenCV decodes
 * (bmp, webp, tif); a file that does not decode is reported, not dropped silently.
 */
public final class LabelledImages {

    public static final List<String> LABELS = List.of("snow", "flood", "open_manhole", "dumping", "clear");
    private static final List<String> EXTENSIONS =
            List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff");

    /** One image and the folder label it sits under. */
    public record LabelledImage(Path path, String label) {
    }

    private LabelledImages() {
    }

    /** Every image under a label folder of {@code dir}, at any depth, in a stable order; other folders are ignored. */
    public static List<LabelledImage> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("--images " + dir + ": no such directory");
        }
        List<LabelledImage> images = new ArrayList<>();
        for (String label : LABELS) {
            Path folder = dir.resolve(label);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
                files.filter(Files::isRegularFile).filter(LabelledImages::isImageName).sorted()
                        .forEach(p -> images.add(new LabelledImage(p, label)));
            } catch (IOException e) {
                throw new BadInputException("--images " + folder + ": cannot list (" + e.getMessage() + ")", e);
            }
        }
        if (images.isEmpty()) {
            throw new BadInputException("--images " + dir + ": no images found; expected " + dir
                    + "/<label>/*.jpg|png with label one of " + LABELS);
        }
        return images;
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }
}

package kz.ikomek.vision.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.models.eval.EvalReport;
import kz.ikomek.vision.models.eval.Evaluation;
import kz.ikomek.vision.models.eval.LabelledImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval --images DIR [--json OUT] [--scores CSV] [--models DIR]}: precision, recall and F1 per label on a labelled folder
 * (DIR/&lt;label&gt;/*.jpg|png), scored through the production {@link SceneScorer} path with a whole-frame zone.
 */
@Command(name = "eval", description = "Score a labelled folder DIR/<label>/*.jpg|png (labels snow, flood, "
        + "open_manhole, dumping, clear) and print precision, recall, F1, threshold and tp/fp/fn/tn per label.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "DIR/<label>/*.jpg|png")
    Path images;

    @Option(names = "--json", paramLabel = "OUT", description = "also write the results as JSON to OUT")
    Path json;

    @Option(names = "--scores", paramLabel = "CSV", description = "also write every image's score per type to CSV "
            + "(file,label,snow,flood,open_manhole,dumping), e.g. to choose a site's thresholds")
    Path scores;

    @Option(names = "--models", paramLabel = "DIR",
            description = "a directory of NAME.card.json + NAME.onnx instead of the built-in models")
    Path models;

    @Override
    public Integer call() throws Exception {
        var labelled = LabelledImages.scan(images);
        requireParent("--json", json);
        requireParent("--scores", scores);
        EvalReport report;
        StringBuilder csv = new StringBuilder("file,label");
        for (IncidentType type : IncidentType.values()) {
            csv.append(',').append(type.wireName());
        }
        csv.append('\n');
        try (SceneScorer scorer = models == null ? SceneScorer.loadDefault() : SceneScorer.load(models)) {
            report = new Evaluation(scorer).run(labelled, (image, byType) -> {
                csv.append('"').append(image.path().toString().replace("\"", "\"\"")).append('"')
                        .append(',').append(image.label());
                for (IncidentType type : IncidentType.values()) {
                    csv.append(',').append(String.format(Locale.ROOT, "%.4f", byType.get(type).score()));
                }
                csv.append('\n');
            });
        }
        spec.commandLine().getOut().print(report.table());
        spec.commandLine().getOut().flush();
        if (json != null) {
            try {
                report.writeJson(json);
            } catch (IOException e) {
                throw new BadInputException("--json " + json + ": cannot write (" + e.getMessage() + ")", e);
            }
        }
        if (scores != null) {
            try {
                Files.writeString(scores, csv);
            } catch (IOException e) {
                throw new BadInputException("--scores " + scores + ": cannot write (" + e.getMessage() + ")", e);
            }
        }
        return 0;
    }

    private static void requireParent(String option, Path out) {
        if (out != null && out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new BadInputException(option + " " + out + ": directory " + out.getParent() + " does not exist");
        }
    }
}

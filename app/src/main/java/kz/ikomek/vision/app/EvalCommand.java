package kz.ikomek.vision.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.scene.SceneScorer;
import kz.ikomek.vision.models.eval.EvalReport;
import kz.ikomek.vision.models.eval.Evaluation;
import kz.ikomek.vision.models.eval.LabelledImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval --images DIR [--json OUT] [--scores CSV] [--models DIR]}: precision, recall and F1 per label on a labelled folder
 * (DIR/&lt;label&gt;/*.jpg|png), scored through the production {@link SceneScorer} path with a whole-frame zone.
 * {@code eval --demo-streets [--json OUT] [--models DIR]}: how the models score the demo's rendered streets
 * ({@link DemoStreetScores}), the quick check of a candidate model against the demo.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Score a labelled folder DIR/<label>/*.jpg|png (labels snow, flood, "
        + "open_manhole, dumping, clear) and print precision, recall, F1, threshold and tp/fp/fn/tn per label; "
        + "or, with --demo-streets, the demo's twelve rendered streets per type.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "DIR", description = "DIR/<label>/*.jpg|png")
    Path images;

    @Option(names = "--demo-streets", description = "instead of --images: render the demo's twelve streets for one "
            + "loop and print, per street and type, the median score and the looks at or above the demo's threshold")
    boolean demoStreets;

    @Option(names = "--json", paramLabel = "OUT", description = "also write the results as JSON to OUT")
    Path json;

    @Option(names = "--scores", paramLabel = "CSV", description = "also write every image's score per type to CSV "
            + "(file,label, then one column per type the models score: snow,flood,open_manhole,dumping with the "
            + "built-in ones), e.g. to choose a site's thresholds")
    Path scores;

    @Mixin
    ModelsOption models = new ModelsOption();

    @Override
    public Integer call() throws Exception {
        if ((images == null) == !demoStreets) {
            throw new BadInputException("eval needs either --images DIR or --demo-streets (not both)");
        }
        requireParent("--json", json);
        if (demoStreets) {
            return scoreDemoStreets();
        }
        var labelled = LabelledImages.scan(images);
        requireParent("--scores", scores);
        EvalReport report;
        StringBuilder csv = new StringBuilder("file,label");
        try (SceneScorer scorer = models.open()) {
            Set<IncidentType> covered = scorer.types();   // all four with the built-in models; a BYO model may cover fewer
            covered.forEach(type -> csv.append(',').append(type.wireName()));
            csv.append('\n');
            report = new Evaluation(scorer).run(labelled, (image, byType) -> {
                csv.append('"').append(image.path().toString().replace("\"", "\"\"")).append('"')
                        .append(',').append(image.label());
                for (IncidentType type : covered) {
                    csv.append(',').append(String.format(Locale.ROOT, "%.4f", byType.get(type).score()));
                }
                csv.append('\n');
            });
        }
        spec.commandLine().getOut().print(report.table());
        spec.commandLine().getOut().flush();
        write("--json", json, report::writeJson);
        write("--scores", scores, out -> Files.writeString(out, csv));
        return 0;
    }

    private int scoreDemoStreets() throws Exception {
        if (scores != null) {
            throw new BadInputException("--scores is per image: it needs --images, not --demo-streets");
        }
        DemoStreetScores streets;
        try (SceneScorer scorer = models.open()) {
            streets = DemoStreetScores.measure(scorer);
        }
        spec.commandLine().getOut().print(streets.table());
        spec.commandLine().getOut().flush();
        write("--json", json, streets::writeJson);
        return 0;
    }

    private interface Writer {
        void write(Path out) throws IOException;
    }

    /** Writes an optional output file; a failure names the option and the file (exit 2). */
    private static void write(String option, Path out, Writer writer) {
        if (out == null) {
            return;
        }
        try {
            writer.write(out);
        } catch (IOException e) {
            throw new BadInputException(option + " " + out + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static void requireParent(String option, Path out) {
        if (out != null && out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new BadInputException(option + " " + out + ": directory " + out.getParent() + " does not exist");
        }
    }
}

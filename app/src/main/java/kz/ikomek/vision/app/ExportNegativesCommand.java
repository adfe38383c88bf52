package kz.ikomek.vision.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import kz.ikomek.vision.app.negatives.HardNegativeExport;
import kz.ikomek.vision.app.standalone.ConfigMapping;
import kz.ikomek.vision.bridge.IncidentArchive;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.VisionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code export-negatives --config FILE --out DIR}: the frames of incidents operators rejected as false alarms,
 * as a "clear" source for {@code train.py --negatives DIR}. Reads the store read-only, so it runs beside a live
 * {@code run} or {@code demo} (and sees the incidents as they were when it started).
 */
@Command(name = "export-negatives", mixinStandardHelpOptions = true,
        description = "Write rejected incidents' evidence frames as DIR/clear/*.jpg plus DIR/manifest.csv (hard negatives for training).")
final class ExportNegativesCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration (its storage.dir is read)")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the folder to write; rerunning adds what is new")
    Path out;

    @Override
    public Integer call() {
        VisionConfig cfg = ConfigLoader.load(config);
        HardNegativeExport.Summary s;
        try (IncidentArchive archive = IncidentArchive.open(ConfigMapping.bridgeDir(cfg))) {
            s = HardNegativeExport.export(archive, out);
        }
        System.out.printf("%d rejected incidents: %d frames in %s (%d new), manifest %s%n", s.incidents(), s.frames(),
                out.resolve(HardNegativeExport.LABEL), s.written(), out.resolve(HardNegativeExport.MANIFEST));
        if (s.missing() > 0) {
            System.out.printf("%d frames were already deleted from the store by evidence retention%n", s.missing());
        }
        if (s.keptFromBefore() > 0) {
            System.out.printf("%d rows of earlier exports kept (their frames are no longer in the store)%n",
                    s.keptFromBefore());
        }
        return 0;
    }
}

package kz.ikomek.vision.app;

import java.time.Duration;
import java.util.concurrent.Callable;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.Durations;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.probe.CameraProbe;
import kz.ikomek.vision.ingest.probe.ProbeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "probe", mixinStandardHelpOptions = true, description = "Connect to one camera and print a JSON health report (exit 0 only when ok).")
final class ProbeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "rtsp://[user:pass@]host[:port]/path, rtsps, http(s), or a file")
    String url;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", description = "give up after this long (e.g. 10s, 1500ms, 1m); default 10s")
    String timeout;

    @Option(names = "--udp", description = "RTSP over UDP instead of TCP")
    boolean udp;

    @Override
    public Integer call() {
        Duration limit = duration(timeout);
        CameraProbe.checkUrl(url);
        CameraSource.Transport transport = udp ? CameraSource.Transport.UDP : CameraSource.Transport.TCP;
        ProbeReport report = CameraProbe.probe(url, limit, transport);
        System.out.println(report.toJson());
        return report.ok() ? 0 : Main.EXIT_FAILURE;
    }

    static Duration duration(String text) {
        Duration d;
        try {
            d = Durations.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--timeout: " + e.getMessage());
        }
        if (d.isZero()) {
            throw new BadInputException("--timeout: must be positive, got '" + text + "'");
        }
        return d;
    }
}

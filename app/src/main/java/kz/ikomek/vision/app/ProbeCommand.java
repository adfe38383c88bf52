package kz.ikomek.vision.app;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.Durations;
import kz.ikomek.vision.config.Urls;
import kz.ikomek.vision.ingest.CameraSource;
import kz.ikomek.vision.ingest.probe.CameraProbe;
import kz.ikomek.vision.ingest.probe.ProbeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "probe", description = "Connect to one camera and print a JSON health report (exit 0 only when ok).")
final class ProbeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "rtsp://[user:pass@]host[:port]/path, rtsps, http(s), or a file")
    String url;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", description = "give up after this long (e.g. 10s, 1500ms, 1m); default 10s")
    String timeout;

    @Option(names = "--udp", description = "RTSP over UDP instead of TCP")
    boolean udp;

    @Override
    public Integer call() throws InterruptedException {
        Duration limit = duration(timeout);
        CameraProbe.checkUrl(url);
        CameraSource.Transport transport = udp ? CameraSource.Transport.UDP : CameraSource.Transport.TCP;
        // FFmpeg's own timeouts bound the probe; this thread bounds it too, should a native call not return.
        CompletableFuture<ProbeReport> probe = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                probe.complete(CameraProbe.probe(url, limit, transport));
            } catch (Throwable t) {
                probe.completeExceptionally(t);
            }
        }, "probe");
        worker.setDaemon(true);
        worker.start();
        ProbeReport report;
        try {
            report = probe.get(limit.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            report = new ProbeReport(Urls.mask(url), ProbeReport.TIMEOUT, null, null, null, null, null, null,
                    "no answer within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BadInputException bad) {
                throw bad;
            }
            throw new IllegalStateException("probe failed: " + Urls.mask(String.valueOf(e.getCause())), e.getCause());
        }
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

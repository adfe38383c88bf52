package kz.ikomek.vision.benchmarks.decode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The soak's plot: memory on top; threads and reconnects below, against minutes into the run. */
final class SoakPlot {

    private SoakPlot() {
    }

    static void write(List<SoakBench.Snapshot> curve, Map<String, Object> summary, Path png) throws IOException {
        List<Double> minutes = curve.stream().map(SoakBench.Snapshot::minutes).toList();
        XYChart memory = new XYChartBuilder().width(900).height(380)
                .title(String.format(Locale.ROOT, "soak: %s camera sessions losing their streams, %s reconnects, %s server kills",
                        cameras(curve.get(0)), summary.get("reconnects"), summary.get("serverKills")))
                .xAxisTitle("minutes").yAxisTitle("MiB").build();
        style(memory);
        add(memory, "resident (VmRSS)", minutes, curve, s -> s.rssBytes() / 1048576.0, 0);
        add(memory, "JavaCPP physicalBytes", minutes, curve, s -> s.javacppPhysicalBytes() / 1048576.0, 0);
        add(memory, "JavaCPP totalBytes (tracked native allocations)", minutes, curve,
                s -> s.javacppTotalBytes() / 1048576.0, 0);
        add(memory, "Java heap used", minutes, curve, s -> s.heapUsedBytes() / 1048576.0, 0);
        memory.getStyler().setYAxisMin(0.0);

        XYChart threads = new XYChartBuilder().width(900).height(380)
                .title("threads (left) and reconnects so far (right)").xAxisTitle("minutes").yAxisTitle("threads").build();
        style(threads);
        add(threads, "JVM threads", minutes, curve, s -> s.threads(), 0);
        add(threads, "reconnects", minutes, curve, s -> s.reconnects(), 1);
        threads.setYAxisGroupTitle(1, "reconnects");
        threads.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        threads.getStyler().setYAxisMin(0, 0.0);
        threads.getStyler().setYAxisMin(1, 0.0);
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(List.of(memory, threads), 2, 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String cameras(SoakBench.Snapshot s) {
        return Long.toString(s.states().values().stream().mapToLong(Long::longValue).sum());
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setXAxisDecimalPattern("#0");
    }

    private static void add(XYChart chart, String name, List<Double> x, List<SoakBench.Snapshot> curve,
                            ToDoubleFunction<SoakBench.Snapshot> y, int axis) {
        var series = chart.addSeries(name, x, curve.stream().map(y::applyAsDouble).toList());
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setYAxisGroup(axis);
    }
}

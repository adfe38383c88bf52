package kz.ikomek.vision.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** The README's plot: cameras vs CPU and memory, and condition-to-incident latency, from one bench run. */
final class EndToEndPlot {

    private EndToEndPlot() {
    }

    @SuppressWarnings("unchecked")
    static void write(List<Map<String, Object>> runs, Path png) throws IOException {
        List<Double> cams = runs.stream().map(r -> ((Number) r.get("cameras")).doubleValue()).toList();
        XYChart chart = new XYChartBuilder().width(900).height(480)
                .title("ikomek-vision end to end: N simulated cameras at production cadences")
                .xAxisTitle("cameras").yAxisTitle("CPU % of machine / resident MB / 10 / latency s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(8);
        add(chart, "CPU % of the machine", cams, runs.stream().map(r -> num(r.get("cpuPercentOfMachine"))).toList());
        add(chart, "resident MB / 10", cams, runs.stream().map(r -> num(r.get("residentMB")) / 10).toList());
        add(chart, "cameras kept up (% of N)", cams, runs.stream()
                .map(r -> 100 * num(r.get("camerasKeptUp")) / num(r.get("cameras"))).toList());
        for (String type : List.of("open_manhole", "dumping")) {
            List<Double> p95 = runs.stream().map(r -> {
                Map<String, Object> lat = (Map<String, Object>) r.get("conditionToIncidentSeconds");
                Map<String, Object> t = (Map<String, Object>) lat.get(type);
                return t == null ? Double.NaN : num(t.get("p95"));
            }).toList();
            add(chart, type + " condition→incident p95 (s)", cams, p95);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, List<Double> x, List<Double> y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}

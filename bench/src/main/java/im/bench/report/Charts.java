package im.bench.report;

import im.bench.scenario.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a scenario's results (XChart), one line per target. */
public final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private Charts() {
    }

    /**
     * Latency by percentile: the x axis is 1/(1-p) on a log scale, so p90, p99 and p99.9 are
     * evenly spaced and the tail is readable.
     */
    public static boolean latency(Path png, String title, List<RunResult> results, boolean sendAck)
            throws IOException {
        Map<String, Histogram> series = new LinkedHashMap<>();
        for (RunResult result : results) {
            series.put(result.target(), sendAck ? result.sendAck() : result.oneWay());
        }
        return latency(png, title, series);
    }

    /** The scenarios' own latencies ({@link RunResult#latencies()}), one line per target and name. */
    public static boolean latencies(Path png, String title, List<RunResult> results) throws IOException {
        Map<String, Histogram> series = new LinkedHashMap<>();
        for (RunResult result : results) {
            result.latencies().forEach((name, histogram) -> series.put(result.target() + ": " + name, histogram));
        }
        return latency(png, title, series);
    }

    private static boolean latency(Path png, String title, Map<String, Histogram> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("percentile (1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9)").yAxisTitle("latency (ms)")
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        // Medians of a few ms and stalls of seconds on one chart: only a log scale shows both.
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        boolean any = false;
        for (Map.Entry<String, Histogram> line : series.entrySet()) {
            Histogram histogram = line.getValue();
            if (histogram == null || histogram.getTotalCount() == 0) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (HistogramIterationValue v : histogram.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0) {
                    break;
                }
                x.add(1.0 / (1.0 - p));
                y.add(v.getValueIteratedTo() / (double) TimeUnit.MILLISECONDS.toNanos(1));
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries plotted = chart.addSeries(line.getKey(), x, y);
            plotted.setMarker(SeriesMarkers.NONE);
            any = true;
        }
        if (any) {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        return any;
    }

    /** Delivered messages per second over the whole run, warm-up included (marked in the title). */
    public static boolean throughput(Path png, String title, List<RunResult> results) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("second of the run").yAxisTitle("delivered msgs/s").build();
        boolean any = false;
        for (RunResult result : results) {
            if (result.throughput().isEmpty()) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            for (int i = 1; i <= result.throughput().size(); i++) {
                x.add((double) i);
            }
            XYSeries series = chart.addSeries(result.target(), x, result.throughput());
            series.setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (any) {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        return any;
    }
}

package im.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What one scenario measured against one target. */
public final class RunResult {

    private final String scenario;
    private final String target;
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final List<Double> throughput = new ArrayList<>();
    private Histogram oneWay;
    private Histogram sendAck;
    private final Map<String, Histogram> latencies = new LinkedHashMap<>();
    private int warmupSeconds;
    private final List<String> notes = new ArrayList<>();

    public RunResult(String scenario, String target) {
        this.scenario = scenario;
        this.target = target;
    }

    public String scenario() {
        return scenario;
    }

    public String target() {
        return target;
    }

    public RunResult figure(String name, double value, String unit, boolean higherIsBetter) {
        figures.put(name, new Figure(name, value, unit, higherIsBetter));
        return this;
    }

    public Map<String, Figure> figures() {
        return figures;
    }

    public double value(String name) {
        Figure figure = figures.get(name);
        return figure == null ? Double.NaN : figure.value();
    }

    public List<Double> throughput() {
        return throughput;
    }

    /** Observations that are not numbers (error codes seen, connections lost), shown under the table. */
    public List<String> notes() {
        return notes;
    }

    public int warmupSeconds() {
        return warmupSeconds;
    }

    public void warmupSeconds(int seconds) {
        this.warmupSeconds = seconds;
    }

    public Histogram oneWay() {
        return oneWay;
    }

    public void oneWay(Histogram histogram) {
        this.oneWay = histogram;
    }

    public Histogram sendAck() {
        return sendAck;
    }

    public void sendAck(Histogram histogram) {
        this.sendAck = histogram;
    }

    /** A scenario's own latencies by name (a group's fan-out to each member and to the last), plotted together. */
    public Map<String, Histogram> latencies() {
        return latencies;
    }
}

package im.bench.report;

import im.bench.scenario.Figure;
import im.bench.scenario.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The comparison table: every figure per target, the standalone/relay ratio, and with a cluster
 * column its ratio to the standalone and to the relay.
 */
public final class Tables {

    private Tables() {
    }

    public static String markdown(List<RunResult> results) {
        RunResult relay = find(results, "relay");
        RunResult standalone = find(results, "standalone");
        RunResult cluster = find(results, "cluster");
        List<RunResult[]> ratios = new ArrayList<>();
        if (relay != null && standalone != null) {
            ratios.add(new RunResult[] {standalone, relay});
        }
        if (cluster != null && standalone != null) {
            ratios.add(new RunResult[] {cluster, standalone});
        }
        if (cluster != null && relay != null) {
            ratios.add(new RunResult[] {cluster, relay});
        }
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> names.addAll(r.figures().keySet()));
        StringBuilder out = new StringBuilder();
        out.append("| figure | unit |");
        results.forEach(r -> out.append(' ').append(r.target()).append(" |"));
        ratios.forEach(pair -> out.append(' ').append(pair[0].target()).append(" / ").append(pair[1].target())
                .append(" |"));
        out.append('\n').append("|---|---|");
        results.forEach(r -> out.append("---:|"));
        ratios.forEach(pair -> out.append("---:|"));
        out.append('\n');
        for (String name : names) {
            Figure any = results.stream().map(r -> r.figures().get(name)).filter(f -> f != null).findFirst()
                    .orElseThrow();
            out.append("| ").append(name).append(" | ").append(any.unit()).append(" |");
            for (RunResult r : results) {
                out.append(' ').append(format(r.value(name))).append(" |");
            }
            for (RunResult[] pair : ratios) {
                double a = pair[0].value(name);
                double b = pair[1].value(name);
                out.append(' ').append(Double.isFinite(a) && Double.isFinite(b) && b != 0
                        ? ratio(a / b) : "-").append(" |");
            }
            out.append('\n');
        }
        for (RunResult r : results) {
            for (String note : r.notes()) {
                out.append("\n- ").append(note);
            }
        }
        return out.toString();
    }

    /** Two decimals, but three significant digits for small ratios (0.0034, not 0.00). */
    static String ratio(double value) {
        return Math.abs(value) >= 0.1 ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.2g", value);
    }

    static String format(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        double abs = Math.abs(value);
        if (abs >= 1000 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static RunResult find(List<RunResult> results, String target) {
        return results.stream().filter(r -> r.target().equals(target)).findFirst().orElse(null);
    }
}

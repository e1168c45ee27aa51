package im.bench.report;

import im.bench.scenario.RunResult;
import im.bench.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Each scenario run leaves a markdown fragment and its PNGs in the results directory; the
 * {@code report} command assembles the fragments into RESULTS.md.
 */
public final class ReportFiles {

    private ReportFiles() {
    }

    public static Path writeFragment(Path outDir, Scenario scenario, List<RunResult> results, String command)
            throws IOException {
        Files.createDirectories(outDir);
        String name = scenario.name();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(name).append("\n\n");
        md.append(scenario.description()).append(".\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" at commit `")
                .append(MachineInfo.commit()).append("`.\n\n");
        md.append(Tables.markdown(results)).append('\n');
        String dir = outDir.getFileName().toString();
        if (Charts.latency(outDir.resolve(name + "-latency.png"), name + ": one-way latency (send -> receive)",
                results, false)) {
            md.append("![").append(name).append(" one-way latency](").append(dir).append('/').append(name)
                    .append("-latency.png)\n");
        }
        if (Charts.latencies(outDir.resolve(name + "-fanout.png"), name + ": from the send to the members' Deliver",
                results)) {
            md.append("![").append(name).append(" fan-out latency](").append(dir).append('/').append(name)
                    .append("-fanout.png)\n");
        }
        if (Charts.latency(outDir.resolve(name + "-sendack.png"), name + ": send -> SendAck", results, true)) {
            md.append("![").append(name).append(" send to SendAck](").append(dir).append('/').append(name)
                    .append("-sendack.png)\n");
        }
        if (Charts.throughput(outDir.resolve(name + "-throughput.png"), name
                + ": delivered msgs/s over time (first " + results.get(0).warmupSeconds() + " s warm-up)", results)) {
            md.append("![").append(name).append(" throughput](").append(dir).append('/').append(name)
                    .append("-throughput.png)\n");
        }
        Path fragment = outDir.resolve(name + ".md");
        Files.writeString(fragment, md.toString());
        return fragment;
    }
}

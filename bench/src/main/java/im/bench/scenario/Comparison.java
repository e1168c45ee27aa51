package im.bench.scenario;

import im.bench.report.ReportFiles;
import im.bench.report.Tables;
import im.bench.server.ClusterTarget;
import im.bench.server.RelayTarget;
import im.bench.server.StandaloneTarget;
import im.bench.server.Target;
import im.bench.server.TargetSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one scenario against the relay (the ceiling), then the standalone app and/or the local
 * cluster, each freshly started minutes apart on the same machine, prints the comparison table
 * and writes the report fragment with its plots.
 */
public final class Comparison {

    private final TargetSettings settings;
    private final List<String> targets;
    private final Progress progress;
    private final Path outDir;
    private final String command;

    public Comparison(TargetSettings settings, List<String> targets, Progress progress, Path outDir, String command) {
        for (String target : targets) {
            if (!List.of("relay", "standalone", "cluster").contains(target)) {
                throw new IllegalArgumentException("unknown target " + target + " (relay, standalone, cluster)");
            }
        }
        this.settings = settings;
        this.targets = targets;
        this.progress = progress;
        this.outDir = outDir;
        this.command = command;
    }

    public List<RunResult> run(Scenario scenario) throws Exception {
        List<RunResult> results = new ArrayList<>();
        for (String name : targets) {
            try (Target target = start(name)) {
                if (!scenario.supports(target)) {
                    progress.line("[" + scenario.name() + "] " + name + " does not take part in " + scenario.name());
                    continue;
                }
                progress.line("[" + scenario.name() + " " + name + "] " + scenario.description());
                results.add(scenario.run(target, progress));
            }
        }
        String table = Tables.markdown(results);
        progress.line("");
        progress.line("== " + scenario.name() + ": " + scenario.description());
        progress.line(table);
        if (outDir != null) {
            Path fragment = ReportFiles.writeFragment(outDir, scenario, results, command);
            progress.line("report fragment: " + fragment);
        }
        return results;
    }

    private Target start(String name) throws Exception {
        progress.line("starting " + name);
        return switch (name) {
            case "relay" -> RelayTarget.start(settings);
            case "cluster" -> ClusterTarget.start(settings);
            default -> StandaloneTarget.start(settings);
        };
    }
}

package im.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static String describe() {
        StringBuilder out = new StringBuilder();
        out.append("- CPU: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores visible to the JVM\n");
        out.append("- memory: ").append(memTotal()).append('\n');
        out.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append('\n');
        out.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        out.append("- commit: `").append(commit()).append("`\n");
        return out.toString();
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return (kib >> 20) + " GiB";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** The short git commit of the working directory (the figures belong to that code). */
    public static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return out + (dirty() ? " + uncommitted changes" : "");
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    private static boolean dirty() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                .redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes()).trim();
        return git.waitFor(10, TimeUnit.SECONDS) && !out.isEmpty();
    }
}

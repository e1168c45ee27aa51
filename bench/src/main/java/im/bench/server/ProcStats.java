package im.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The figures of a server process, by pid: CPU time (of the process, or of its JIT compiler
 * threads) and resident memory from Linux /proc, the live heap of a JVM from jcmd. By pid, so the reading is the same whoever launched the process.
 */
public final class ProcStats {

    /** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux build. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    /**
     * HotSpot's JIT compiler threads ("C2 CompilerThread0", "C1 CompilerThread1", Graal's "JVMCI
     * CompilerThread0") as /proc names them: cut to 15 characters, "C2 CompilerThre".
     */
    private static final Pattern COMPILER_THREAD = Pattern.compile("(C1|C2|JVMCI) Compiler.*");

    private ProcStats() {
    }

    /** User plus system CPU seconds the process has used so far. */
    public static double cpuSeconds(long pid) {
        try {
            return Stat.parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))).cpuTicks()
                    / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * User plus system CPU seconds each live JIT compiler thread of the process has used so far.
     * A JVM goes on compiling the paths a load has run for a minute or more after it: warm-up
     * that the process's total counts with the rest.
     */
    public static ThreadCpu compilerThreadCpu(long pid) {
        Map<ThreadCpu.Id, Double> seconds = new HashMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Iterator<Path> it = threads.iterator(); it.hasNext(); ) {
                Path thread = it.next();
                Stat stat;
                try {
                    stat = Stat.parse(Files.readString(thread.resolve("stat")));
                } catch (IOException exited) {
                    continue;  // gone since the listing: it is not alive at this reading
                }
                if (COMPILER_THREAD.matcher(stat.comm()).matches()) {
                    seconds.put(new ThreadCpu.Id(Long.parseLong(thread.getFileName().toString()), stat.startTicks()),
                            stat.cpuTicks() / CLOCK_TICKS_PER_SECOND);
                }
            }
            return new ThreadCpu(seconds, true);
        } catch (IOException | RuntimeException e) {
            return ThreadCpu.UNREAD;
        }
    }

    /** Resident set size in bytes (VmRSS). */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The soft "Max open files" of a process, or -1 when unknown or unlimited. */
    public static long openFileLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Heap in use after a full collection (jcmd GC.run, then GC.heap_info): the live objects,
     * without the garbage and the headroom that make RSS deltas noisy. -1 when jcmd fails.
     */
    public static long liveHeapBytes(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(jcmd, Long.toString(pid), "GC.run");
            String info = run(jcmd, Long.toString(pid), "GC.heap_info");
            Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
            return used.find() ? Long.parseLong(used.group(1)) * 1024L : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        return out;
    }

    /**
     * What the bench reads of a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat line.
     *
     * @param comm the thread's or process's name
     * @param cpuTicks utime + stime
     * @param startTicks when it started, after boot
     */
    record Stat(String comm, long cpuTicks, long startTicks) {

        static Stat parse(String line) {
            // The name (field 2) is between parentheses and may itself hold spaces and parentheses;
            // the fields after the last ')' are fixed: state (3), utime (14), stime (15), starttime (22).
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalArgumentException("not a /proc stat line: " + line);
            }
            String[] fields = line.substring(close + 1).trim().split(" ");
            return new Stat(line.substring(open + 1, close), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[19]));
        }
    }
}

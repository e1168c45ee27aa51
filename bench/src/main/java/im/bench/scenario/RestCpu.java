package im.bench.scenario;

import im.bench.server.Target;
import im.bench.server.ThreadCpu;
import java.util.concurrent.TimeUnit;

/**
 * The server's CPU over a window with its connections open and nothing sent, in cores: all of it,
 * and without its JIT compiler threads. A JVM goes on compiling the connect and login paths for a
 * minute or more after the connections arrive; that is warm-up, not the cost of holding them.
 */
record RestCpu(double cores, double coresWithoutCompiler) {

    static final String FIGURE_WITHOUT_COMPILER = "server CPU at rest, JIT compiler excluded";

    static RestCpu measure(Target target, long seconds) throws InterruptedException {
        double cpu0 = target.cpuSeconds();
        ThreadCpu compiler0 = target.compilerCpu();
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        ThreadCpu compiler1 = target.compilerCpu();
        double cpu = target.cpuSeconds() - cpu0;
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new RestCpu(cpu / elapsed, (cpu - compiler1.secondsSince(compiler0)) / elapsed);
    }
}

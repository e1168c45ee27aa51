package im.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    /** A thread's stat line as Linux writes it, utime 1234, stime 56, starttime 7890123. */
    private static String statLine(String comm) {
        return "4242 (" + comm + ") S 1 4200 4200 0 -1 4194368 1520 0 0 0 1234 56 0 0 20 0 42 0 7890123 "
                + "4096000000 51200 18446744073709551615 1 1 0 0 0 0 0 4096 17630 0 0 0 -1 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    }

    @Test
    void statLine_takesTheNameUpToTheLastParenthesis_evenWithSpacesAndParenthesesInIt() {
        ProcStats.Stat stat = ProcStats.Stat.parse(statLine("a) b (c) S 9"));

        assertEquals("a) b (c) S 9", stat.comm());
        assertEquals(1234 + 56, stat.cpuTicks());
        assertEquals(7890123, stat.startTicks());
    }

    @Test
    void statLine_ofAHotSpotCompilerThread_keepsTheNameLinuxCutTo15Characters() {
        ProcStats.Stat stat = ProcStats.Stat.parse(statLine("C2 CompilerThre"));

        assertEquals("C2 CompilerThre", stat.comm());
        assertEquals(1290, stat.cpuTicks());
    }

    @Test
    void compilerThreadsOfThisJvm_areFoundByTheirNames() {
        ThreadCpu compiler = ProcStats.compilerThreadCpu(ProcessHandle.current().pid());

        assertTrue(compiler.complete());
        assertFalse(compiler.seconds().isEmpty(), "a HotSpot JVM runs at least one C1 and one C2 thread");
    }

    @Test
    void compilerThreadsOfAProcessThatIsGone_giveNoFigure() {
        ThreadCpu gone = ProcStats.compilerThreadCpu(Long.MAX_VALUE);

        assertFalse(gone.complete());
        assertTrue(Double.isNaN(gone.secondsSince(gone)));
    }

    @Test
    void cpuSince_countsOnlyThreadsAliveAtBothReadings() {
        ThreadCpu.Id stays = new ThreadCpu.Id(10, 100);
        ThreadCpu.Id exits = new ThreadCpu.Id(11, 100);
        ThreadCpu.Id idReused = new ThreadCpu.Id(11, 900);
        ThreadCpu.Id born = new ThreadCpu.Id(12, 500);
        ThreadCpu before = new ThreadCpu(Map.of(stays, 1.0, exits, 2.0), true);
        ThreadCpu after = new ThreadCpu(Map.of(stays, 1.25, idReused, 0.5, born, 0.75), true);

        assertEquals(0.25, after.secondsSince(before), 1e-9);
    }

    @Test
    void cpuSince_addsTheThreadsOfSeveralProcesses() {
        ThreadCpu.Id a = new ThreadCpu.Id(10, 100);
        ThreadCpu.Id b = new ThreadCpu.Id(20, 200);
        ThreadCpu before = new ThreadCpu(Map.of(a, 1.0), true).plus(new ThreadCpu(Map.of(b, 3.0), true));
        ThreadCpu after = new ThreadCpu(Map.of(a, 1.5), true).plus(new ThreadCpu(Map.of(b, 3.5), true));

        assertEquals(1.0, after.secondsSince(before), 1e-9);
    }
}

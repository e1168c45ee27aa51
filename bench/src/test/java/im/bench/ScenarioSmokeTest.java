package im.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.bench.report.ReportFiles;
import im.bench.scenario.CatchupScenario;
import im.bench.scenario.ClosedLoopScenario;
import im.bench.scenario.GroupScenario;
import im.bench.scenario.GroupShape;
import im.bench.scenario.IdleScenario;
import im.bench.scenario.LoadShape;
import im.bench.scenario.OpenLoopScenario;
import im.bench.scenario.Progress;
import im.bench.scenario.RunResult;
import im.bench.scenario.Scenario;
import im.bench.server.RelayTarget;
import im.bench.server.StandaloneTarget;
import im.bench.server.Target;
import im.bench.server.TargetSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI-size runs of every scenario against both real servers (the relay and the packaged
 * standalone app as processes), asserting only that each ran and counted something sane.
 * Speed is never asserted: the machine running the tests is not the one the figures are for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioSmokeTest {

    private static final LoadShape TINY = new LoadShape(10, 100, Duration.ofSeconds(1), Duration.ofSeconds(2), 1);

    private RelayTarget relay;
    private StandaloneTarget standalone;

    @BeforeAll
    void startServers() throws Exception {
        System.setProperty("java.awt.headless", "true");
        TargetSettings settings = new TargetSettings(Path.of("target/bench-smoke"), "512m",
                Path.of(System.getProperty("im.standalone.app",
                        "../services/standalone/target/quarkus-app/quarkus-run.jar")), true, "");
        relay = RelayTarget.start(settings);
        standalone = StandaloneTarget.start(settings);
    }

    @AfterAll
    void stopServers() {
        if (relay != null) {
            relay.close();
        }
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void closedLoopDeliversEverySentMessageOnBothServers() throws Exception {
        for (Target target : List.of(relay, standalone)) {
            RunResult result = new ClosedLoopScenario(TINY, 2).run(target, Progress.silent());
            assertTrue(result.value("delivered msgs/s") > 0, target.name() + " delivered nothing");
            assertTrue(result.oneWay().getTotalCount() > 0, target.name() + " recorded no one-way latency");
            assertTrue(result.sendAck().getTotalCount() > 0, target.name() + " recorded no SendAck latency");
            assertEquals(0.0, result.value("errors"), target.name() + " answered errors");
        }
    }

    @Test
    void openLoopSendsAtItsRateOnBothServers() throws Exception {
        for (Target target : List.of(relay, standalone)) {
            RunResult result = new OpenLoopScenario(TINY, 20, "smoke").run(target, Progress.silent());
            assertTrue(result.value("delivered msgs/s") > 0, target.name() + " delivered nothing");
            assertTrue(result.oneWay().getTotalCount() > 0, target.name() + " recorded no latency");
        }
    }

    @Test
    void idleConnectionsAreHeldAndCosted() throws Exception {
        for (Target target : List.of(relay, standalone)) {
            RunResult result = new IdleScenario(20, 2, Duration.ofSeconds(1), 8).run(target, Progress.silent());
            assertEquals(20.0, result.value("connections held"), target.name());
            assertTrue(result.value("connect + login rate") > 0, target.name());
            assertTrue(result.value("server RSS holding") > 0, target.name());
        }
    }

    @Test
    void offlineDeviceCatchesUpEveryMissedMessageInPages() throws Exception {
        CatchupScenario catchup = new CatchupScenario(250, 100);
        assertTrue(!catchup.supports(relay), "the relay stores nothing to catch up on");
        RunResult result = catchup.run(standalone, Progress.silent());
        assertEquals(250.0, result.value("messages synced"));
        assertTrue(result.value("pages") >= 3, "250 messages take at least three pages of 100");
    }

    @Test
    void groupMessagesReachEveryOnlineMember_andThePrivateRunStandsBeside() throws Exception {
        GroupScenario group = new GroupScenario(new GroupShape(30, 6, 5, 100, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, 20));
        assertTrue(!group.supports(relay), "the relay has no groups");
        RunResult result = group.run(standalone, Progress.silent());
        assertEquals(5.0, result.value("copies per message"), "every online member but the sender");
        assertTrue(result.value("messages measured") > 0);
        assertEquals(0.0, result.value("messages not at every online member"));
        assertEquals(result.value("messages measured"),
                (double) result.latencies().get("send -> last member").getTotalCount());
        assertEquals(5 * result.value("messages measured"),
                (double) result.latencies().get("send -> each member").getTotalCount());
        assertTrue(result.value("server CPU per delivered copy") > 0);
        assertTrue(result.value("private: delivered msgs/s") > 0);
    }

    @Test
    void reportFragmentHasTheTableAndThePlots(@TempDir Path out) throws Exception {
        Scenario scenario = new ClosedLoopScenario(TINY, 1);
        List<RunResult> results = new ArrayList<>();
        results.add(scenario.run(relay, Progress.silent()));
        results.add(scenario.run(standalone, Progress.silent()));
        Path fragment = ReportFiles.writeFragment(out, scenario, results, "smoke");
        String md = Files.readString(fragment);
        assertTrue(md.contains("| delivered msgs/s | msg/s |"), md);
        assertTrue(md.contains("standalone / relay"), md);
        assertTrue(Files.size(out.resolve(scenario.name() + "-latency.png")) > 0);
        assertTrue(Files.size(out.resolve(scenario.name() + "-throughput.png")) > 0);
    }
}

package im.system;

import im.checker.StandaloneProcess;
import im.checker.scenario.CheckerReport;
import im.checker.scenario.CheckerSettings;
import im.checker.scenario.GroupWorkload;
import im.checker.scenario.ReliableDeliveryScenario;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection checker at CI size: 6 users with 2 devices each, in 3 private chats and 2
 * groups of 4, send 600 messages (about a third to their groups) through a proxy that drops 2% of
 * frames, delays 5%, cuts connections, while the server restarts once. Every send is acknowledged
 * and no device loses, repeats or reorders a message, in a private chat or a group.
 */
class ReliableDeliveryCheckerTest {

    @Test
    void underDroppedFramesCutConnectionsAndARestart_everySendIsAckedAndEveryDeviceShowsTheSameMessagesOnceInOrder_inChatsAndGroups()
            throws Exception {
        CheckerSettings settings = new CheckerSettings(
                6, 2, new GroupWorkload(2, 4, 0.3), 600,
                60, 60,
                0.02, 0.05, 800, 0.002, 0,
                1, false,
                Long.getLong("im.checker.seed", 20261128L),
                Duration.ofSeconds(90),
                Path.of(System.getProperty(StandaloneProcess.APP_PROPERTY,
                        "../services/standalone/target/quarkus-app/quarkus-run.jar")),
                Path.of(System.getProperty(StandaloneProcess.WORK_PROPERTY, "target/system-tests")),
                "512m");

        CheckerReport report = new ReliableDeliveryScenario(settings, System.out).run();
        report.print(System.out);

        CheckerVerdict.assertPromiseKept(report, settings);
    }
}

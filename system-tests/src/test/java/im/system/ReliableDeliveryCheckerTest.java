package im.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.checker.scenario.CheckerReport;
import im.checker.scenario.CheckerSettings;
import im.checker.scenario.ReliableDeliveryScenario;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection checker at CI size: 6 users with 2 devices each send 600 messages through a
 * proxy that drops 2% of frames, delays 5%, cuts connections, while the server restarts once.
 * Every send is acknowledged and no device loses, repeats or reorders a message.
 */
class ReliableDeliveryCheckerTest {

    @Test
    void underDroppedFramesCutConnectionsAndARestart_everySendIsAckedAndEveryDeviceShowsTheSameMessagesOnceInOrder()
            throws Exception {
        CheckerSettings settings = new CheckerSettings(
                6, 2, 600,
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

        String context = "seed " + settings.seed() + "; " + report.examples();
        assertEquals(report.sent(), report.acked(), "every send acked: " + context);
        assertEquals(0, report.unacked(), "unacked sends: " + context);
        assertEquals(0, report.lost(), "lost: " + context);
        assertEquals(0, report.shownTwice(), "displayed twice: " + context);
        assertEquals(0, report.ownSendShown(), "own send shown again: " + context);
        assertEquals(0, report.orderDiffers(), "order differs between devices: " + context);
        assertEquals(0, report.senderOrder(), "sender order violations: " + context);
        assertEquals(0, report.ackedNotStored(), "acked but not stored: " + context);
        assertEquals(0, report.storedTwice(), "stored twice: " + context);
        assertEquals(0, report.storeGaps(), "store seq gaps: " + context);
        assertEquals(0, report.foreign(), "foreign messages shown: " + context);
        assertTrue(report.passed(), context);
    }
}

package im.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.scenario.CheckerReport;
import im.checker.scenario.CheckerSettings;

/**
 * The delivery promise, as the checker's report must show it: every count of a broken promise 0,
 * in private chats and groups alike, and the groups asked for really ran.
 */
final class CheckerVerdict {

    private CheckerVerdict() {
    }

    static void assertPromiseKept(CheckerReport report, CheckerSettings settings) {
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
        if (settings.groups().count() > 0) {
            assertEquals(settings.groups().count(), report.inGroups().groups(), "groups made: " + context);
            assertTrue(report.inGroups().acked() > 0, "some sends went to groups: " + context);
            assertEquals(report.inGroups().deliveriesExpected(), report.inGroups().deliveriesShown(),
                    "every group message shown on every member device but the sending one: " + context);
        }
        assertEquals(report.deliveriesExpected(), report.deliveriesShown(),
                "every message shown on every member device but the sending one: " + context);
    }
}

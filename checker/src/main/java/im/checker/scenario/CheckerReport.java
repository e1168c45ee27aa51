package im.checker.scenario;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a run: the counts the promise is judged by, and examples of each violation.
 *
 * @param sent sends the scenario made
 * @param acked sends that got their SendAck
 * @param unacked sends that never got one (failed, or still waiting at the deadline)
 * @param lost acked messages missing from at least one device of a member of their conversation
 * @param shownTwice (device, msgId) pairs for which onMessage ran more than once
 * @param ownSendShown messages a device sent itself that also reached that device's onMessage (the SDK
 *     reports a device's own sends by their SendAck only, so an app would show these twice)
 * @param orderDiffers conversations where two member devices show different msgIds at one seq,
 *     or a device shows a seq gap
 * @param senderOrder pairs of one device's consecutive sends in a conversation stored out of send order
 * @param ackedNotStored acked sends absent from the store at their acked seq (final sync, no proxy)
 * @param storedTwice extra stored copies of one (sender, clientMsgId)
 * @param storeGaps conversations whose stored seqs are not 1..last
 * @param foreign messages a device was shown of a conversation its user is not a member of
 * @param clientStops times an SDK client stopped for good while in use (informational; the
 *     scenario connects it again)
 * @param examples a few lines per violation kind, for the diagnosis
 */
public record CheckerReport(
        long sent,
        long acked,
        long unacked,
        long lost,
        long shownTwice,
        long ownSendShown,
        long orderDiffers,
        long senderOrder,
        long ackedNotStored,
        long storedTwice,
        long storeGaps,
        long foreign,
        long clientStops,
        List<String> examples) {

    /** True when every promise held and every send was acknowledged. */
    public boolean passed() {
        return unacked == 0 && violations() == 0;
    }

    /** Sum of the violation counts (unacked sends not included). */
    public long violations() {
        return lost + shownTwice + ownSendShown + orderDiffers + senderOrder + ackedNotStored + storedTwice
                + storeGaps + foreign;
    }

    public void print(PrintStream out) {
        out.println("+--------------------------------------+-----------+");
        row(out, "sent", sent, false);
        row(out, "acked", acked, false);
        row(out, "unacked sends", unacked, true);
        row(out, "lost (acked, missing on a device)", lost, true);
        row(out, "displayed twice (device, msgId)", shownTwice, true);
        row(out, "own send shown again by onMessage", ownSendShown, true);
        row(out, "order differs between devices", orderDiffers, true);
        row(out, "sender order violations", senderOrder, true);
        row(out, "acked but not stored", ackedNotStored, true);
        row(out, "stored twice", storedTwice, true);
        row(out, "store seq gaps (conversations)", storeGaps, true);
        row(out, "foreign messages shown", foreign, true);
        row(out, "client stops (info)", clientStops, false);
        out.println("+--------------------------------------+-----------+");
        out.println(passed() ? "RESULT: PASS" : "RESULT: FAIL");
        if (!examples.isEmpty()) {
            out.println("examples:");
            examples.forEach(e -> out.println("  " + e));
        }
    }

    private static void row(PrintStream out, String name, long value, boolean violation) {
        String mark = violation && value > 0 ? " !" : "";
        out.println(String.format(Locale.ROOT, "| %-36s | %9d |%s", name, value, mark));
    }
}

package im.checker.scenario;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a run: the counts the promise is judged by, over every conversation (private
 * chats and groups), the part of them that happened in groups, and examples of each violation.
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
 * @param deliveriesExpected (acked message, device) pairs that onMessage should have reported:
 *     every device of every member of the message's conversation except the sending device
 * @param deliveriesShown those of them that onMessage did report (informational: a shortfall is
 *     counted as lost)
 * @param inGroups the same counts for group conversations only
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
        long deliveriesExpected,
        long deliveriesShown,
        InGroups inGroups,
        List<String> examples) {

    /**
     * The part of each count that is about group conversations; every one of them is also in the
     * run's total.
     *
     * @param groups groups in the run
     * @param membersEach members of each group
     */
    public record InGroups(
            int groups,
            int membersEach,
            long sent,
            long acked,
            long unacked,
            long deliveriesExpected,
            long deliveriesShown,
            long lost,
            long shownTwice,
            long ownSendShown,
            long orderDiffers,
            long senderOrder,
            long ackedNotStored,
            long storedTwice,
            long storeGaps,
            long foreign) {
    }

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
        String rule = "+--------------------------------------+-----------+-----------+";
        out.println(rule);
        out.println(String.format(Locale.ROOT, "| %-36s | %9s | %9s |", "", "all", "in groups"));
        out.println(rule);
        row(out, "sent", sent, inGroups.sent, false);
        row(out, "acked", acked, inGroups.acked, false);
        row(out, "unacked sends", unacked, inGroups.unacked, true);
        row(out, "deliveries expected (msg, device)", deliveriesExpected, inGroups.deliveriesExpected, false);
        row(out, "deliveries shown by onMessage", deliveriesShown, inGroups.deliveriesShown, false);
        row(out, "lost (acked, missing on a device)", lost, inGroups.lost, true);
        row(out, "displayed twice (device, msgId)", shownTwice, inGroups.shownTwice, true);
        row(out, "own send shown again by onMessage", ownSendShown, inGroups.ownSendShown, true);
        row(out, "order differs between devices", orderDiffers, inGroups.orderDiffers, true);
        row(out, "sender order violations", senderOrder, inGroups.senderOrder, true);
        row(out, "acked but not stored", ackedNotStored, inGroups.ackedNotStored, true);
        row(out, "stored twice", storedTwice, inGroups.storedTwice, true);
        row(out, "store seq gaps (conversations)", storeGaps, inGroups.storeGaps, true);
        row(out, "foreign messages shown", foreign, inGroups.foreign, true);
        out.println(String.format(Locale.ROOT, "| %-36s | %9d | %9s |", "client stops (info)", clientStops, ""));
        out.println(rule);
        out.println(String.format(Locale.ROOT, "groups: %d of %d members each", inGroups.groups, inGroups.membersEach));
        out.println(passed() ? "RESULT: PASS" : "RESULT: FAIL");
        if (!examples.isEmpty()) {
            out.println("examples:");
            examples.forEach(e -> out.println("  " + e));
        }
    }

    private static void row(PrintStream out, String name, long all, long groups, boolean violation) {
        String mark = violation && all > 0 ? " !" : "";
        out.println(String.format(Locale.ROOT, "| %-36s | %9d | %9d |%s", name, all, groups, mark));
    }
}

package im.checker.scenario;

import im.protocol.client.Message;
import im.protocol.client.SendAck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges a run once it settled: what every device was shown against every other device of the
 * conversation's members, against the sends and their acks, and against the store. Private chats
 * and groups are judged by the same rules; each count also keeps the part of it that is about
 * groups. A group's system messages (a {@link Message#hasGroupEvent() group event}: its creation)
 * are no one's send: they take their seq, so every device must show them in place like any other
 * message, but they are not counted as sends or expected deliveries.
 */
final class DeliveryVerdict {

    private static final int MAX_EXAMPLES = 5;

    private final List<SendRecord> records;
    private final List<SimDevice> devices;
    private final Map<String, SimConversation> conversations;
    private final GroupWorkload groups;
    private final List<String> examples = new ArrayList<>();

    /**
     * @param records every send made, in the order made
     * @param devices every device of every user
     * @param conversations every conversation of the run, by id
     * @param groups the run's groups (for the report)
     */
    DeliveryVerdict(List<SendRecord> records, List<SimDevice> devices, Map<String, SimConversation> conversations,
            GroupWorkload groups) {
        this.records = List.copyOf(records);
        this.devices = List.copyOf(devices);
        this.conversations = conversations;
        this.groups = groups;
    }

    /**
     * @param stored every conversation as stored, by id, its messages by seq
     * @param clientStops times an SDK client stopped for good during the run
     */
    CheckerReport judge(Map<String, TreeMap<Long, Message>> stored, long clientStops) {
        Tally sent = new Tally();
        Tally acked = new Tally();
        Tally unacked = new Tally();
        List<String> unackedExamples = new ArrayList<>();
        for (SendRecord r : records) {
            sent.add(r.conversationId);
            if (r.ack() != null) {
                acked.add(r.conversationId);
            } else {
                unacked.add(r.conversationId);
                unackedExamples.add(r.clientMsgId + " from " + r.device.name() + " to " + r.conversationId + ": "
                        + (r.done() ? String.valueOf(r.failure()) : "no answer"));
            }
        }
        example("unacked", unackedExamples);

        Tally expected = new Tally();
        Tally shown = new Tally();
        Tally lost = lost(expected, shown);
        Displays display = displays();
        Tally orderDiffers = orderBetweenDevices();
        Tally senderOrder = senderOrder();
        Tally ackedNotStored = ackedNotStored(stored);
        Tally storedTwice = new Tally();
        Tally storeGaps = new Tally();
        store(stored, storedTwice, storeGaps);
        List<String> stopExamples = new ArrayList<>();
        devices.forEach(d -> d.stops.forEach(s -> stopExamples.add(d.name() + ": " + s)));
        example("client stop (info)", stopExamples);

        Tally shownTwice = display.shownTwice();
        Tally ownSendShown = display.ownSendShown();
        Tally foreign = display.foreign();
        CheckerReport.InGroups inGroups = new CheckerReport.InGroups(groups.count(), groups.size(),
                sent.inGroups, acked.inGroups, unacked.inGroups, expected.inGroups, shown.inGroups, lost.inGroups,
                shownTwice.inGroups, ownSendShown.inGroups, orderDiffers.inGroups, senderOrder.inGroups,
                ackedNotStored.inGroups, storedTwice.inGroups, storeGaps.inGroups, foreign.inGroups);
        return new CheckerReport(sent.all, acked.all, unacked.all, lost.all, shownTwice.all, ownSendShown.all,
                orderDiffers.all, senderOrder.all, ackedNotStored.all, storedTwice.all, storeGaps.all, foreign.all,
                clientStops, expected.all, shown.all, inGroups, List.copyOf(examples));
    }

    /**
     * Lost: an acked message missing (or another msgId at its seq) on a device of a member; the
     * sending device holds it through its ack. Counts, besides, the deliveries due (every member
     * device but the sending one) and those onMessage made.
     */
    private Tally lost(Tally expected, Tally shown) {
        Tally lost = new Tally();
        List<String> lostExamples = new ArrayList<>();
        for (SendRecord r : records) {
            SendAck ack = r.ack();
            if (ack == null) {
                continue;
            }
            boolean missing = false;
            for (SimUser member : members(r.conversationId)) {
                for (SimDevice d : member.devices) {
                    if (d != r.device) {
                        expected.add(r.conversationId);
                        if (d.displays.containsKey(ack.getMsgId())) {
                            shown.add(r.conversationId);
                        }
                    }
                    var view = d.view.get(r.conversationId);
                    Long held = view == null ? null : view.get(ack.getSeq());
                    if (held == null || held != ack.getMsgId()) {
                        missing = true;
                        lostExamples.add("msgId " + ack.getMsgId() + " (" + r.conversationId + " seq " + ack.getSeq()
                                + ", from " + r.device.name() + ") not on " + d.name()
                                + (held == null ? "" : " (it shows msgId " + held + " there)"));
                    }
                }
            }
            if (missing) {
                lost.add(r.conversationId);
            }
        }
        example("lost", lostExamples);
        return lost;
    }

    /** Shown twice, own sends shown again, and messages of conversations the user is not in. */
    private Displays displays() {
        Tally shownTwice = new Tally();
        Tally ownSendShown = new Tally();
        Tally foreign = new Tally();
        List<String> twiceExamples = new ArrayList<>();
        List<String> ownExamples = new ArrayList<>();
        List<String> foreignExamples = new ArrayList<>();
        for (SimDevice d : devices) {
            for (var e : d.displays.entrySet()) {
                int times = e.getValue().times().get();
                if (times > 1) {
                    shownTwice.add(e.getValue().conversationId());
                    twiceExamples.add("msgId " + e.getKey() + " (" + e.getValue().conversationId() + ") shown "
                            + times + " times on " + d.name());
                }
            }
            for (Message m : d.ownEchoes) {
                ownSendShown.add(m.getConversationId());
                ownExamples.add("msgId " + m.getMsgId() + " (" + m.getConversationId() + " seq " + m.getSeq()
                        + ", clientMsgId " + m.getClientMsgId() + ") sent by " + d.name() + " reached its onMessage"
                        + (d.ownAcked.contains(m.getMsgId()) ? " and was acked too" : " (never acked)"));
            }
            for (Message m : d.foreign) {
                foreign.add(m.getConversationId());
                foreignExamples.add(d.name() + " shown " + m.getConversationId() + " msgId " + m.getMsgId());
            }
        }
        example("displayed twice", twiceExamples);
        example("own send shown again", ownExamples);
        example("foreign", foreignExamples);
        return new Displays(shownTwice, ownSendShown, foreign);
    }

    /** Every member device shows the same msgId at each seq, with no gap below its highest. */
    private Tally orderBetweenDevices() {
        Tally orderDiffers = new Tally();
        List<String> orderExamples = new ArrayList<>();
        for (SimConversation c : conversations.values()) {
            String conversation = c.id();
            boolean differs = false;
            List<Long> reference = null;
            String referenceName = null;
            for (SimUser member : c.members()) {
                for (SimDevice d : member.devices) {
                    List<Long> ids = d.msgIdsBySeq(conversation);
                    long contiguous = d.contiguous(conversation);
                    var view = d.view.get(conversation);
                    long highest = view == null || view.isEmpty() ? 0 : view.lastKey();
                    if (contiguous != highest) {
                        differs = true;
                        orderExamples.add(d.name() + " has a gap in " + conversation + ": holds up to " + contiguous
                                + " without gap, highest " + highest);
                    }
                    if (reference == null) {
                        reference = ids;
                        referenceName = d.name();
                    } else if (firstDifference(reference, ids) >= 0) {
                        differs = true;
                        orderExamples.add(conversation + ": " + d.name() + " shows another msgId order than "
                                + referenceName + " (first difference at position " + firstDifference(reference, ids)
                                + ")");
                    }
                    for (String conflict : d.seqConflicts) {
                        if (conflict.startsWith(conversation + " ")) {
                            differs = true;
                            orderExamples.add(d.name() + " shown two msgIds at one seq: " + conflict);
                        }
                    }
                }
            }
            if (differs) {
                orderDiffers.add(conversation);
            }
        }
        example("order differs", orderExamples);
        return orderDiffers;
    }

    /** One device's sends in one conversation are stored in the order they were made. */
    private Tally senderOrder() {
        Tally senderOrder = new Tally();
        List<String> senderExamples = new ArrayList<>();
        Map<String, List<SendRecord>> byDeviceConversation = new LinkedHashMap<>();
        for (SendRecord r : records) {
            byDeviceConversation.computeIfAbsent(r.device.name() + " " + r.conversationId, k -> new ArrayList<>()).add(r);
        }
        for (var e : byDeviceConversation.entrySet()) {
            SendRecord previous = null;
            for (SendRecord r : e.getValue()) {
                if (r.ack() == null) {
                    continue;
                }
                if (previous != null && r.ack().getSeq() <= previous.ack().getSeq()) {
                    senderOrder.add(r.conversationId);
                    senderExamples.add(e.getKey() + ": send #" + r.orderInConversation + " stored at seq "
                            + r.ack().getSeq() + ", before send #" + previous.orderInConversation + " at seq "
                            + previous.ack().getSeq());
                }
                previous = r;
            }
        }
        example("sender order", senderExamples);
        return senderOrder;
    }

    /** Every ack's msgId is in the store at its seq. */
    private Tally ackedNotStored(Map<String, TreeMap<Long, Message>> stored) {
        Tally ackedNotStored = new Tally();
        List<String> notStoredExamples = new ArrayList<>();
        for (SendRecord r : records) {
            SendAck ack = r.ack();
            if (ack == null) {
                continue;
            }
            TreeMap<Long, Message> messages = stored.get(r.conversationId);
            Message m = messages == null ? null : messages.get(ack.getSeq());
            if (m == null || m.getMsgId() != ack.getMsgId()) {
                ackedNotStored.add(r.conversationId);
                notStoredExamples.add(r.clientMsgId + " acked as msgId " + ack.getMsgId() + " seq " + ack.getSeq()
                        + " in " + r.conversationId + "; store has " + (m == null ? "nothing" : "msgId " + m.getMsgId()));
            }
        }
        example("acked but not stored", notStoredExamples);
        return ackedNotStored;
    }

    /** Each (sender, clientMsgId) stored once (system messages are no one's send), seqs 1..last. */
    private void store(Map<String, TreeMap<Long, Message>> stored, Tally storedTwice, Tally storeGaps) {
        List<String> storeExamples = new ArrayList<>();
        for (var e : stored.entrySet()) {
            Map<String, Long> seen = new HashMap<>();
            long expected = 1;
            boolean gap = false;
            for (Message m : e.getValue().values()) {
                if (m.getSeq() != expected) {
                    gap = true;
                }
                expected = m.getSeq() + 1;
                if (m.hasGroupEvent()) {
                    continue;
                }
                Long before = seen.putIfAbsent(m.getSenderId() + "/" + m.getClientMsgId(), m.getSeq());
                if (before != null) {
                    storedTwice.add(e.getKey());
                    storeExamples.add(e.getKey() + ": clientMsgId " + m.getClientMsgId() + " stored at seq " + before
                            + " and " + m.getSeq());
                }
            }
            if (gap) {
                storeGaps.add(e.getKey());
                storeExamples.add(e.getKey() + ": stored seqs are not 1.." + e.getValue().lastKey()
                        + " (" + e.getValue().size() + " messages)");
            }
        }
        example("store", storeExamples);
    }

    private List<SimUser> members(String conversationId) {
        SimConversation c = conversations.get(conversationId);
        if (c == null) {
            throw new IllegalStateException("a send to a conversation the run does not know: " + conversationId);
        }
        return c.members();
    }

    /** Position where the two differ within their common length, or -1; length differences are gaps or losses. */
    static int firstDifference(List<Long> a, List<Long> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private void example(String kind, List<String> lines) {
        lines.stream().limit(MAX_EXAMPLES).forEach(l -> examples.add(kind + ": " + l));
        if (lines.size() > MAX_EXAMPLES) {
            examples.add(kind + ": ... and " + (lines.size() - MAX_EXAMPLES) + " more");
        }
    }

    private record Displays(Tally shownTwice, Tally ownSendShown, Tally foreign) {
    }

    /** One count of the report, and the part of it that is about groups. */
    private final class Tally {
        long all;
        long inGroups;

        void add(String conversationId) {
            all++;
            SimConversation c = conversations.get(conversationId);
            if (c != null && c.isGroup()) {
                inGroups++;
            }
        }
    }
}

package im.checker.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.GroupEvent;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verdict on hand-made runs: a group of three users with two devices each, and a private chat. */
class DeliveryVerdictTest {

    private static final String GROUP = "g:9";
    private static final String PRIVATE = "p:1:2";

    private final SimUser ann = user(0, 1);
    private final SimUser bob = user(1, 2);
    private final SimUser cat = user(2, 3);
    private final Map<String, SimConversation> conversations = new LinkedHashMap<>();
    private final List<SendRecord> records = new ArrayList<>();
    private final Map<String, TreeMap<Long, Message>> stored = new LinkedHashMap<>();
    private long nextMsgId = 100;

    @BeforeEach
    void groupCreated() {
        conversations.put(PRIVATE, new SimConversation(PRIVATE, 0, List.of(ann, bob)));
        conversations.put(GROUP, new SimConversation(GROUP, 9, List.of(ann, bob, cat)));
        stored.put(PRIVATE, new TreeMap<>());
        stored.put(GROUP, new TreeMap<>());
        Message created = Message.newBuilder().setConversationId(GROUP).setSeq(1).setMsgId(nextMsgId++)
                .setSenderId(ann.userId).setSenderDeviceId("")
                .setGroupEvent(GroupEvent.newBuilder().setKind(GroupEvent.Kind.CREATED)).build();
        stored.get(GROUP).put(1L, created);
        everyDevice(GROUP).forEach(d -> show(d, created));
    }

    @Test
    void groupMessage_onEveryMemberDeviceOnce_acrossTheSendersOtherDevice_passes() {
        Message m = send(ann.devices.get(0), GROUP, 2);
        everyDeviceBut(GROUP, ann.devices.get(0)).forEach(d -> show(d, m));

        CheckerReport report = judge();

        assertTrue(report.passed(), report.examples().toString());
        assertEquals(1, report.inGroups().sent());
        assertEquals(1, report.inGroups().acked());
        assertEquals(5, report.inGroups().deliveriesExpected(), "3 members x 2 devices, not the sending one");
        assertEquals(5, report.inGroups().deliveriesShown());
    }

    @Test
    void groupMessage_missingOnTheSendersOtherDevice_isLost_inTheGroup() {
        Message m = send(ann.devices.get(0), GROUP, 2);
        everyDeviceBut(GROUP, ann.devices.get(0)).stream().filter(d -> d != ann.devices.get(1))
                .forEach(d -> show(d, m));

        CheckerReport report = judge();

        assertEquals(1, report.lost());
        assertEquals(1, report.inGroups().lost());
        assertEquals(4, report.inGroups().deliveriesShown());
        assertTrue(report.examples().stream().anyMatch(e -> e.contains("not on chk-u0/dev1")), report.examples().toString());
    }

    @Test
    void aDeviceWithoutTheGroupsSystemMessage_hasAGap_andTheGroupsOrderDiffers() {
        Message m = send(ann.devices.get(0), GROUP, 2);
        everyDeviceBut(GROUP, ann.devices.get(0)).forEach(d -> show(d, m));
        SimDevice fresh = new SimDevice(cat, "dev2");
        cat.devices.add(fresh);
        show(fresh, m);

        CheckerReport report = judge();

        assertEquals(0, report.lost());
        assertEquals(1, report.orderDiffers());
        assertEquals(1, report.inGroups().orderDiffers());
        assertFalse(report.passed());
    }

    @Test
    void aGroupMessageShownTwiceOrOnItsSendingDevice_isCountedInTheGroup() {
        Message m = send(bob.devices.get(1), GROUP, 2);
        everyDeviceBut(GROUP, bob.devices.get(1)).forEach(d -> show(d, m));
        show(cat.devices.get(0), m);
        show(bob.devices.get(1), m);

        CheckerReport report = judge();

        assertEquals(1, report.inGroups().shownTwice());
        assertEquals(1, report.inGroups().ownSendShown());
    }

    @Test
    void aSendersGroupMessagesStoredOutOfSendOrder_areASenderOrderViolation_inTheGroup() {
        Message second = message(cat.devices.get(0), GROUP, 2, "chk-2");
        Message first = message(cat.devices.get(0), GROUP, 3, "chk-1");
        records.add(record(cat.devices.get(0), GROUP, first, 0));
        records.add(record(cat.devices.get(0), GROUP, second, 1));
        for (Message m : List.of(second, first)) {
            stored.get(GROUP).put(m.getSeq(), m);
            cat.devices.get(0).acked(ack(m));
            everyDeviceBut(GROUP, cat.devices.get(0)).forEach(d -> show(d, m));
        }

        CheckerReport report = judge();

        assertEquals(1, report.senderOrder());
        assertEquals(1, report.inGroups().senderOrder());
    }

    @Test
    void aGroupsSystemMessages_areNoOnesSend_butAGroupMessageMissingFromTheStoreIsCounted() {
        Message renamed = Message.newBuilder().setConversationId(GROUP).setSeq(2).setMsgId(nextMsgId++)
                .setSenderId(ann.userId).setSenderDeviceId("")
                .setGroupEvent(GroupEvent.newBuilder().setKind(GroupEvent.Kind.RENAMED)).build();
        stored.get(GROUP).put(2L, renamed);
        everyDevice(GROUP).forEach(d -> show(d, renamed));
        Message m = send(ann.devices.get(1), GROUP, 3);
        everyDeviceBut(GROUP, ann.devices.get(1)).forEach(d -> show(d, m));
        stored.get(GROUP).remove(3L);

        CheckerReport report = judge();

        assertEquals(0, report.storedTwice(), "two system messages, both without a clientMsgId, are not a repeat");
        assertEquals(1, report.ackedNotStored());
        assertEquals(1, report.inGroups().ackedNotStored());
        assertEquals(1, report.inGroups().sent(), "system messages are not sends");
    }

    @Test
    void privateViolations_areNotCountedInGroups() {
        Message m = send(ann.devices.get(0), PRIVATE, 1);
        show(bob.devices.get(0), m);

        CheckerReport report = judge();

        assertEquals(1, report.lost());
        assertEquals(0, report.inGroups().lost());
        assertEquals(3, report.deliveriesExpected());
        assertEquals(0, report.inGroups().deliveriesExpected());
        assertEquals(1, report.sent());
        assertEquals(0, report.inGroups().sent());
    }

    private CheckerReport judge() {
        List<SimDevice> devices = new ArrayList<>();
        for (SimUser u : List.of(ann, bob, cat)) {
            devices.addAll(u.devices);
        }
        return new DeliveryVerdict(records, devices, conversations, new GroupWorkload(1, 3, 0.5)).judge(stored, 0);
    }

    /** {@code device} sends to {@code conversation}; it is acked at {@code seq} and stored. */
    private Message send(SimDevice device, String conversation, long seq) {
        Message m = message(device, conversation, seq, "chk-" + seq);
        records.add(record(device, conversation, m, device.sendsMade.merge(conversation, 1, Integer::sum) - 1));
        device.acked(ack(m));
        stored.get(conversation).put(seq, m);
        return m;
    }

    private Message message(SimDevice device, String conversation, long seq, String clientMsgId) {
        return Message.newBuilder().setConversationId(conversation).setSeq(seq).setMsgId(nextMsgId++)
                .setSenderId(device.user.userId).setSenderDeviceId(device.deviceId).setClientMsgId(clientMsgId).build();
    }

    private SendRecord record(SimDevice device, String conversation, Message m, int order) {
        SendRecord r = new SendRecord(records.size(), device, conversation, m.getClientMsgId(), order);
        r.complete(ack(m), null);
        return r;
    }

    private static SendAck ack(Message m) {
        return SendAck.newBuilder().setClientMsgId(m.getClientMsgId()).setMsgId(m.getMsgId())
                .setConversationId(m.getConversationId()).setSeq(m.getSeq()).build();
    }

    private void show(SimDevice device, Message m) {
        device.shown(m, Set.copyOf(conversations.values().stream()
                .filter(c -> c.members().contains(device.user)).map(SimConversation::id).toList()));
    }

    private List<SimDevice> everyDevice(String conversation) {
        List<SimDevice> devices = new ArrayList<>();
        conversations.get(conversation).members().forEach(u -> devices.addAll(u.devices));
        return devices;
    }

    private List<SimDevice> everyDeviceBut(String conversation, SimDevice sender) {
        return everyDevice(conversation).stream().filter(d -> d != sender).toList();
    }

    private static SimUser user(int index, long userId) {
        SimUser u = new SimUser(index, "chk-u" + index, userId, "token");
        u.devices.add(new SimDevice(u, "dev0"));
        u.devices.add(new SimDevice(u, "dev1"));
        return u;
    }
}

package im.router.cursor;

import im.protocol.client.DeliveryReceipt;
import im.router.conversation.ConversationAccess;
import im.router.conversation.ConversationRepository;
import im.router.conversation.StoredSeqs;
import im.router.cursor.DeliveryCursorRepository.CursorTarget;
import im.router.cursor.DeliveryCursorRepository.DeviceConversation;
import im.router.cursor.MemberCursorRepository.MemberKey;
import im.router.cursor.MemberCursorRepository.MemberTarget;
import im.router.routing.DeliveryRouting;
import im.router.store.GroupCommit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moves delivery cursors for a batch of acks in one transaction. Acks of one device and
 * conversation collapse into the highest (a cursor only moves forward, so the lower ones change
 * nothing after it); each moved member cursor is published once, after the commit.
 */
final class AckBatch implements GroupCommit.BatchWork<AckBatch.Ack, AckBatch.Acked> {

    /** One device's ack, checked: the caller is a member of the conversation ({@code memberIds}). */
    record Ack(DeviceConversation device, long seq, List<Long> memberIds) {
    }

    /**
     * The device's cursor after its batch, and the member's cursor when this batch moved it (else -1).
     */
    record Acked(long deviceCursor, long movedMemberCursor) {
    }

    private static final Comparator<DeviceConversation> LOCK_ORDER = Comparator
            .comparingLong(DeviceConversation::userId)
            .thenComparing(DeviceConversation::conversationId)
            .thenComparing(DeviceConversation::deviceId);

    private final ConversationRepository conversations;
    private final StoredSeqs storedSeqs;
    private final DeliveryCursorRepository cursors;
    private final MemberCursorRepository members;
    private final DeliveryRouting routing;

    AckBatch(ConversationRepository conversations, StoredSeqs storedSeqs, DeliveryCursorRepository cursors,
            MemberCursorRepository members, DeliveryRouting routing) {
        this.conversations = conversations;
        this.storedSeqs = storedSeqs;
        this.cursors = cursors;
        this.members = members;
        this.routing = routing;
    }

    @Override
    public List<Acked> write(Connection connection, List<Ack> acks) throws SQLException {
        Map<DeviceConversation, Long> highest = new TreeMap<>(LOCK_ORDER);
        for (Ack ack : acks) {
            highest.merge(ack.device(), ack.seq(), Math::max);
        }
        long now = System.currentTimeMillis();
        List<CursorTarget> targets = new ArrayList<>(highest.size());
        for (Map.Entry<DeviceConversation, Long> entry : highest.entrySet()) {
            DeviceConversation device = entry.getKey();
            // A device cannot hold what was never stored: cap at the conversation's last seq,
            // read only when the acked seq is not known to be stored already.
            long acked = entry.getValue();
            long target = storedSeqs.covers(device.conversationId(), acked) ? Math.max(0, acked)
                    : CursorRules.capped(acked, conversations.lastSeq(connection, device.conversationId()));
            targets.add(new CursorTarget(device, target));
        }
        List<DeliveryCursorRepository.Move> moves = cursors.advance(connection, targets, now);
        // The member's cursor is the highest of its devices': only a moved device can move it, and
        // then to this device's new cursor if that is higher than the member's.
        List<MemberTarget> memberTargets = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (moves.get(i).moved()) {
                DeviceConversation device = targets.get(i).device();
                memberTargets.add(new MemberTarget(new MemberKey(device.userId(), device.conversationId()),
                        moves.get(i).after()));
            }
        }
        boolean[] membersMoved = members.advanceDelivered(connection, memberTargets);
        Map<DeviceConversation, Acked> outcomes = new HashMap<>();
        for (int i = 0, member = 0; i < targets.size(); i++) {
            DeliveryCursorRepository.Move move = moves.get(i);
            long movedMember = move.moved() && membersMoved[member++] ? move.after() : -1;
            outcomes.put(targets.get(i).device(), new Acked(move.after(), movedMember));
        }
        List<Acked> results = new ArrayList<>(acks.size());
        for (Ack ack : acks) {
            results.add(outcomes.get(ack.device()));
        }
        return results;
    }

    /** Tells the other members once per moved member cursor. */
    @Override
    public void publish(List<Ack> acks, List<Acked> results) {
        Map<DeviceConversation, Integer> firstOfDevice = new TreeMap<>(LOCK_ORDER);
        for (int i = 0; i < acks.size(); i++) {
            firstOfDevice.putIfAbsent(acks.get(i).device(), i);
        }
        List<DeliveryRouting.ReceiptRoute> routes = new ArrayList<>();
        for (int i : firstOfDevice.values()) {
            Ack ack = acks.get(i);
            long moved = results.get(i).movedMemberCursor();
            if (moved >= 0) {
                routes.add(new DeliveryRouting.ReceiptRoute(DeliveryReceipt.newBuilder()
                        .setConversationId(ack.device().conversationId())
                        .setRecipientId(ack.device().userId())
                        .setUpToSeq(moved)
                        .build(), ConversationAccess.othersThan(ack.memberIds(), ack.device().userId())));
            }
        }
        if (!routes.isEmpty()) {
            routing.publishDeliveryReceipts(routes);
        }
    }
}

package im.router.send;

import im.protocol.client.Message;
import im.router.conversation.ConversationRepository;
import im.router.conversation.StoredSeqs;
import im.router.message.MessageRepository;
import im.router.message.MessageRepository.SenderKey;
import im.router.routing.DeliveryRouting;
import im.router.send.SendSequenceRepository.DeviceSends;
import im.router.store.GroupCommit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stores a batch of sends in one transaction, with the same rules a single send has: a repeat of a
 * stored client_msg_id is answered with the stored message (before its number is looked at); a
 * numbered send is stored only when it is its device's next; each stored message takes its
 * conversation's next seq, in the batch's order; a conversation's first message records its two
 * members. Committed messages are published in seq order by the writer.
 *
 * <p>Row locks are taken in one global order (device numbering rows sorted, then conversations
 * sorted), so batches of several writers or nodes cannot deadlock each other.
 */
final class SendBatch implements GroupCommit.BatchWork<SendBatch.ToStore, SendBatch.Outcome> {

    /** A validated, permitted send with its msg id, waiting for its seq. */
    record ToStore(Message message, long receiverId, long clientSeq) {
        SenderKey dedupeKey() {
            return new SenderKey(message.getSenderId(), message.getClientMsgId());
        }

        DeviceSends device() {
            return new DeviceSends(message.getSenderId(), message.getSenderDeviceId(), message.getConversationId());
        }
    }

    /**
     * What became of a send: stored as {@code message}; or already stored as {@code message}
     * ({@code duplicate}); or refused because its number is not the next ({@code message} null,
     * {@code expectedClientSeq} the one that is).
     */
    record Outcome(Message message, boolean duplicate, long expectedClientSeq) {
        static Outcome stored(Message message) {
            return new Outcome(message, false, 0);
        }

        static Outcome duplicateOf(Message message) {
            return new Outcome(message, true, 0);
        }

        static Outcome outOfOrder(long expectedClientSeq) {
            return new Outcome(null, false, expectedClientSeq);
        }
    }

    private static final Comparator<DeviceSends> LOCK_ORDER = Comparator.comparingLong(DeviceSends::userId)
            .thenComparing(DeviceSends::deviceId).thenComparing(DeviceSends::conversationId);

    private final ConversationRepository conversations;
    private final StoredSeqs storedSeqs;
    private final MessageRepository messages;
    private final SendSequenceRepository sequences;
    private final DeliveryRouting routing;

    SendBatch(ConversationRepository conversations, StoredSeqs storedSeqs, MessageRepository messages,
            SendSequenceRepository sequences, DeliveryRouting routing) {
        this.conversations = conversations;
        this.storedSeqs = storedSeqs;
        this.messages = messages;
        this.sequences = sequences;
        this.routing = routing;
    }

    @Override
    public List<Outcome> write(Connection connection, List<ToStore> items) throws SQLException {
        long now = System.currentTimeMillis();
        Outcome[] outcomes = new Outcome[items.size()];
        Map<SenderKey, Message> alreadyStored = messages.findByClientMsgIds(connection,
                items.stream().map(ToStore::dedupeKey).distinct().toList());

        TreeSet<DeviceSends> devices = new TreeSet<>(LOCK_ORDER);
        for (ToStore item : items) {
            if (SendOrder.isNumbered(item.clientSeq()) && !alreadyStored.containsKey(item.dedupeKey())) {
                devices.add(item.device());
            }
        }
        Map<DeviceSends, Long> lastClientSeq = new HashMap<>();
        for (DeviceSends device : devices) {
            lastClientSeq.put(device, sequences.lockLast(connection, device, now));
        }

        // Which items are stored; a repeat within the batch points at the item stored first.
        int[] repeatOf = new int[items.size()];
        Arrays.fill(repeatOf, -1);
        Map<SenderKey, Integer> acceptedHere = new HashMap<>();
        Map<String, List<Integer>> byConversation = new TreeMap<>();
        Map<DeviceSends, Long> newLast = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            ToStore item = items.get(i);
            SenderKey key = item.dedupeKey();
            Message stored = alreadyStored.get(key);
            if (stored != null) {
                outcomes[i] = Outcome.duplicateOf(stored);
                continue;
            }
            Integer first = acceptedHere.get(key);
            if (first != null) {
                repeatOf[i] = first;
                continue;
            }
            if (SendOrder.isNumbered(item.clientSeq())) {
                DeviceSends device = item.device();
                long last = lastClientSeq.get(device);
                if (!SendOrder.accepts(last, item.clientSeq())) {
                    outcomes[i] = Outcome.outOfOrder(SendOrder.expectedAfter(last));
                    continue;
                }
                lastClientSeq.put(device, item.clientSeq());
                newLast.put(device, item.clientSeq());
            }
            acceptedHere.put(key, i);
            byConversation.computeIfAbsent(item.message().getConversationId(), c -> new ArrayList<>()).add(i);
        }

        List<Message> toInsert = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> conversation : byConversation.entrySet()) {
            List<Integer> indexes = conversation.getValue();
            long seq = conversations.reserveSeqs(connection, conversation.getKey(), indexes.size(), now);
            if (seq == 1) {
                // The first message creates the private conversation: its two members are recorded
                // once, in the same transaction, not again with every send.
                ToStore opening = items.get(indexes.get(0));
                conversations.addMember(connection, conversation.getKey(), opening.message().getSenderId(), now);
                conversations.addMember(connection, conversation.getKey(), opening.receiverId(), now);
            }
            for (int index : indexes) {
                Message message = items.get(index).message().toBuilder().setSeq(seq++).setCreatedAtMs(now).build();
                outcomes[index] = Outcome.stored(message);
                toInsert.add(message);
            }
        }
        messages.insertAll(connection, toInsert);
        for (Map.Entry<DeviceSends, Long> device : newLast.entrySet()) {
            sequences.setLast(connection, device.getKey(), device.getValue(), now);
        }
        for (int i = 0; i < items.size(); i++) {
            if (repeatOf[i] >= 0) {
                outcomes[i] = Outcome.duplicateOf(outcomes[repeatOf[i]].message());
            }
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Publishes the messages this batch stored. Within a conversation the items' order is the seq
     * order, so receivers get each conversation's messages in order.
     */
    @Override
    public void committed(List<ToStore> items, List<Outcome> outcomes) {
        for (int i = 0; i < items.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (outcome.message() != null && !outcome.duplicate()) {
                storedSeqs.stored(outcome.message().getConversationId(), outcome.message().getSeq());
                routing.publish(outcome.message(), items.get(i).receiverId());
            }
        }
    }
}

package im.router.send;

import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.client.MessageChange;
import im.router.conversation.ConversationRepository;
import im.router.conversation.ConversationRepository.SeqReservation;
import im.router.conversation.StoredSeqs;
import im.router.cursor.MemberCursorRepository;
import im.router.group.GroupRepository;
import im.router.group.GroupRoster;
import im.router.group.GroupRosters;
import im.router.media.BlobRepository;
import im.router.message.MentionRepository;
import im.router.message.MessageRepository;
import im.router.message.MessageRepository.SenderKey;
import im.router.routing.DeliveryRouting;
import im.router.send.SendSequenceRepository.DeviceSends;
import im.router.send.SendSequenceRepository.NumberMove;
import im.router.store.GroupCommit;
import im.router.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stores a batch of sends in one transaction, with the same rules a single send has: a repeat of a
 * stored client_msg_id is answered with the stored message (before its number is looked at); a
 * numbered send is stored only when it is its device's next; each stored message takes its
 * conversation's next seq, in the batch's order; a private conversation's first message records its
 * two members; a group send is stored only when its sender may send to the group as it stands at
 * the seq before (member, not muted, not dissolved). Committed messages are published in seq order
 * by the writer.
 *
 * <p>Row locks are taken in one global order (group conversations sorted, device numbering rows
 * sorted, then the other conversations sorted), so batches of several writers or nodes cannot
 * deadlock each other. A batch written from
 * memory locks a remembered device row only when it moves it, after the device rows it read; the
 * deadlock that allows between two nodes sending for the same two devices at once is retried.
 */
final class SendBatch implements GroupCommit.BatchWork<SendBatch.ToStore, SendBatch.Outcome> {

    /**
     * A validated send with its msg id, waiting for its seq: to {@code receiverId} (permitted), or
     * to a group ({@code receiverId} 0), checked against the group's members in the batch.
     */
    record ToStore(Message message, long receiverId, long clientSeq) {
        boolean toGroup() {
            return receiverId == 0;
        }

        SenderKey dedupeKey() {
            return new SenderKey(message.getSenderId(), message.getClientMsgId());
        }

        DeviceSends device() {
            return new DeviceSends(message.getSenderId(), message.getSenderDeviceId(), message.getConversationId());
        }
    }

    /**
     * What became of a send: stored as {@code message} (to a group whose members were
     * {@code roster}); or already stored as {@code message} ({@code duplicate}); or refused
     * because its number is not the next ({@code message} null, {@code expectedClientSeq} the one
     * that is); or refused by its group ({@code refusal}, with its {@code refusalCode}).
     */
    record Outcome(Message message, boolean duplicate, long expectedClientSeq, GroupRoster roster,
            ErrorCode refusalCode, String refusal) {
        static Outcome stored(Message message, GroupRoster roster) {
            return new Outcome(message, false, 0, roster, null, null);
        }

        static Outcome duplicateOf(Message message) {
            return new Outcome(message, true, 0, null, null, null);
        }

        static Outcome outOfOrder(long expectedClientSeq) {
            return new Outcome(null, false, expectedClientSeq, null, null, null);
        }

        static Outcome refused(ErrorCode code, String reason) {
            return new Outcome(null, false, 0, null, code, reason);
        }
    }

    private static final String NO_SUCH_GROUP = "no such group";

    private static final Comparator<MemberCursorRepository.MemberKey> MEMBER_ORDER = Comparator
            .comparing(MemberCursorRepository.MemberKey::conversationId)
            .thenComparingLong(MemberCursorRepository.MemberKey::userId);

    private static final Comparator<DeviceSends> LOCK_ORDER = Comparator.comparingLong(DeviceSends::userId)
            .thenComparing(DeviceSends::deviceId).thenComparing(DeviceSends::conversationId);

    private final ConversationRepository conversations;
    private final StoredSeqs storedSeqs;
    private final MessageRepository messages;
    private final SendSequenceRepository sequences;
    private final StoredClientSeqs storedClientSeqs;
    private final DeliveryRouting routing;
    private final GroupRepository groups;
    private final GroupRosters rosters;
    private final MemberCursorRepository members;
    private final MentionRepository mentions;
    private final ChangeRules changes;
    private final BlobRepository blobs;

    SendBatch(ConversationRepository conversations, StoredSeqs storedSeqs, MessageRepository messages,
            SendSequenceRepository sequences, StoredClientSeqs storedClientSeqs, DeliveryRouting routing,
            GroupRepository groups, GroupRosters rosters, MemberCursorRepository members, MentionRepository mentions,
            ChangeRules changes, BlobRepository blobs) {
        this.changes = changes;
        this.blobs = blobs;
        this.members = members;
        this.mentions = mentions;
        this.groups = groups;
        this.rosters = rosters;
        this.conversations = conversations;
        this.storedSeqs = storedSeqs;
        this.messages = messages;
        this.sequences = sequences;
        this.storedClientSeqs = storedClientSeqs;
        this.routing = routing;
    }

    /**
     * Most batches hold no repeat and meet their rows as this node left them, so they are first
     * written on what the node remembers (no dedupe read, no read of device or conversation rows):
     * each row is moved only from the remembered value, and the unique key of client_msg_id
     * refuses a repeat. When any of that fails, or a send's number is not the next, everything the
     * first try wrote is undone and the batch is written again reading every row first.
     */
    @Override
    public List<Outcome> write(Connection connection, List<ToStore> items) throws SQLException {
        Savepoint start = connection.setSavepoint();
        try {
            List<Outcome> outcomes = write(connection, items, true);
            if (outcomes != null) {
                return outcomes;
            }
        } catch (SQLException e) {
            if (!Transactions.isUniqueViolation(e)) {
                throw e;
            }
        }
        connection.rollback(start);
        return write(connection, items, false);
    }

    /**
     * Writes the batch; with {@code fromMemory}, on what the node remembers, answering null (the
     * caller undoes what was written) when a remembered value proved stale or a number was refused
     * (which may be a resend: only the reading write can tell).
     */
    private List<Outcome> write(Connection connection, List<ToStore> items, boolean fromMemory) throws SQLException {
        long now = System.currentTimeMillis();
        Outcome[] outcomes = new Outcome[items.size()];
        Map<SenderKey, Message> alreadyStored = fromMemory ? Map.of() : messages.findByClientMsgIds(connection,
                items.stream().map(ToStore::dedupeKey).distinct().toList());

        Map<String, GroupRoster> groupRosters = groupRosters(connection, items, fromMemory);
        if (groupRosters == null) {
            return null;
        }
        Map<String, String> blobSpaces = blobSpaces(connection, items);

        TreeSet<DeviceSends> devices = new TreeSet<>(LOCK_ORDER);
        for (ToStore item : items) {
            if (SendOrder.isNumbered(item.clientSeq()) && !alreadyStored.containsKey(item.dedupeKey())) {
                devices.add(item.device());
            }
        }
        // Rows read here are locked until the end of the transaction; remembered rows are locked
        // by the compare-and-set that moves them.
        Map<DeviceSends, Long> lastClientSeq = new HashMap<>();
        Map<DeviceSends, Long> remembered = new HashMap<>();
        for (DeviceSends device : devices) {
            long last = fromMemory ? storedClientSeqs.last(device) : -1;
            if (last >= 0) {
                remembered.put(device, last);
            } else {
                last = sequences.lockLast(connection, device, now);
            }
            lastClientSeq.put(device, last);
        }

        // Which items are stored; a repeat within the batch points at the item stored first.
        int[] repeatOf = new int[items.size()];
        Arrays.fill(repeatOf, -1);
        Map<SenderKey, Integer> acceptedHere = new HashMap<>();
        Map<String, List<Integer>> byConversation = new TreeMap<>();
        Map<DeviceSends, Long> newLast = new TreeMap<>(LOCK_ORDER);
        // Changes checked against their stored targets, by item; targets recalled by this batch.
        Map<Integer, Message> checkedChanges = new HashMap<>();
        Map<String, Set<Long>> recalledHere = new HashMap<>();
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
            if (item.toGroup()) {
                GroupRoster roster = groupRosters.get(item.message().getConversationId());
                String refusal = roster == null ? NO_SUCH_GROUP : roster.sendRefusal(item.message().getSenderId());
                boolean strangersMentioned = refusal == null
                        && !roster.memberIds().containsAll(item.message().getMentionsList());
                if (refusal != null || strangersMentioned) {
                    if (fromMemory) {
                        // It may be a resend of a message stored before: only the reading write can tell.
                        return null;
                    }
                    outcomes[i] = strangersMentioned
                            ? Outcome.refused(ErrorCode.INVALID_ARGUMENT, "mentions must name members of the conversation")
                            : Outcome.refused(roster == null ? ErrorCode.UNKNOWN_CONVERSATION
                                    : ErrorCode.PERMISSION_DENIED, refusal);
                    continue;
                }
            }
            String foreignBlob = foreignBlob(item.message(), blobSpaces);
            if (foreignBlob != null) {
                if (fromMemory) {
                    return null;
                }
                outcomes[i] = Outcome.refused(ErrorCode.INVALID_ARGUMENT,
                        "attachment " + foreignBlob + " was not uploaded to this conversation");
                continue;
            }
            Message change = null;
            if (item.message().hasChange()) {
                String conversation = item.message().getConversationId();
                ChangeRules.Checked checked = changes.check(connection, item.message(),
                        item.toGroup() ? groupRosters.get(conversation) : null,
                        recalledHere.getOrDefault(conversation, Set.of()), now);
                if (checked.refusal() != null) {
                    if (fromMemory) {
                        return null;
                    }
                    outcomes[i] = Outcome.refused(checked.code(), checked.refusal());
                    continue;
                }
                change = checked.change();
            }
            if (SendOrder.isNumbered(item.clientSeq())) {
                DeviceSends device = item.device();
                long last = lastClientSeq.get(device);
                if (!SendOrder.accepts(last, item.clientSeq())) {
                    if (fromMemory) {
                        return null;
                    }
                    outcomes[i] = Outcome.outOfOrder(SendOrder.expectedAfter(last));
                    continue;
                }
                lastClientSeq.put(device, item.clientSeq());
                newLast.put(device, item.clientSeq());
            }
            if (change != null) {
                checkedChanges.put(i, change);
                if (change.getChange().getKind() == MessageChange.Kind.RECALLED) {
                    recalledHere.computeIfAbsent(change.getConversationId(), c -> new HashSet<>())
                            .add(change.getChange().getTargetSeq());
                }
            }
            acceptedHere.put(key, i);
            byConversation.computeIfAbsent(item.message().getConversationId(), c -> new ArrayList<>()).add(i);
        }

        // Remembered rows move in one batch (sorted: the lock order); rows read above are locked
        // already, so their moves may follow in any order.
        List<NumberMove> rememberedMoves = new ArrayList<>();
        for (Map.Entry<DeviceSends, Long> device : newLast.entrySet()) {
            Long expected = remembered.get(device.getKey());
            if (expected != null) {
                rememberedMoves.add(new NumberMove(device.getKey(), expected, device.getValue()));
            }
        }
        if (!sequences.setLastAfter(connection, rememberedMoves, now)) {
            return null;
        }
        for (Map.Entry<DeviceSends, Long> device : newLast.entrySet()) {
            if (!remembered.containsKey(device.getKey())) {
                sequences.setLast(connection, device.getKey(), device.getValue(), now);
            }
        }
        Map<String, Long> firstSeqs = takeSeqs(connection, byConversation, fromMemory, now);
        if (firstSeqs == null) {
            return null;
        }
        List<Message> toInsert = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> conversation : byConversation.entrySet()) {
            List<Integer> indexes = conversation.getValue();
            long seq = firstSeqs.get(conversation.getKey());
            if (seq == 1 && ConversationIds.isPrivate(conversation.getKey())) {
                // The first message creates the private conversation: its two members are recorded
                // once, in the same transaction, not again with every send.
                ToStore opening = items.get(indexes.get(0));
                conversations.addMember(connection, conversation.getKey(), opening.message().getSenderId(), now);
                conversations.addMember(connection, conversation.getKey(), opening.receiverId(), now);
            }
            for (int index : indexes) {
                Message message = checkedChanges.getOrDefault(index, items.get(index).message()).toBuilder()
                        .setSeq(seq++).setCreatedAtMs(now).build();
                outcomes[index] = Outcome.stored(message, groupRosters.get(conversation.getKey()));
                toInsert.add(message);
            }
        }
        messages.insertAll(connection, toInsert);
        mentions.insertAll(connection, toInsert);
        changes.apply(connection, toInsert);
        members.advanceReads(connection, sendersRead(toInsert));
        for (int i = 0; i < items.size(); i++) {
            if (repeatOf[i] >= 0) {
                outcomes[i] = Outcome.duplicateOf(outcomes[repeatOf[i]].message());
            }
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Where each blob the batch's messages name was uploaded (unknown ids absent); one read, and
     * none for a batch without attachments. The rows of a conversation's blobs are on its shard,
     * the one this batch writes.
     */
    private Map<String, String> blobSpaces(Connection connection, List<ToStore> items) throws SQLException {
        List<String> named = new ArrayList<>();
        for (ToStore item : items) {
            named.addAll(Attachments.blobIdsOf(item.message()));
        }
        return named.isEmpty() ? Map.of() : blobs.spacesOf(connection, named);
    }

    /** The first blob the message names that was not uploaded to its conversation, or null. */
    private static String foreignBlob(Message message, Map<String, String> blobSpaces) {
        for (String blobId : Attachments.blobIdsOf(message)) {
            if (!message.getConversationId().equals(blobSpaces.get(blobId))) {
                return blobId;
            }
        }
        return null;
    }

    /**
     * The roster each group send of the batch is checked on, by conversation (a group that does
     * not exist maps to null). From memory: the rosters known exact at the remembered last seqs,
     * or null when any is not (the batch is then written reading). Reading: each group's
     * conversation row is locked first (in sorted order, before the device rows) and its roster
     * read under the lock, so no change can come between the check and the seq.
     */
    private Map<String, GroupRoster> groupRosters(Connection connection, List<ToStore> items, boolean fromMemory)
            throws SQLException {
        TreeSet<String> groupConversations = new TreeSet<>();
        for (ToStore item : items) {
            if (item.toGroup()) {
                groupConversations.add(item.message().getConversationId());
            }
        }
        Map<String, GroupRoster> found = new HashMap<>();
        for (String conversationId : groupConversations) {
            GroupRoster roster;
            if (fromMemory) {
                roster = rosters.exactAt(conversationId, storedSeqs.last(conversationId));
                if (roster == null) {
                    return null;
                }
            } else {
                roster = groups.roster(connection, conversationId, conversations.lockLastSeq(connection,
                        conversationId));
            }
            found.put(conversationId, roster);
        }
        return found;
    }

    /**
     * Each sender's read cursor moves to its last message of the batch in each conversation, in
     * conversation order (the order the conversation rows were locked in).
     */
    private static List<MemberCursorRepository.MemberTarget> sendersRead(List<Message> stored) {
        Map<MemberCursorRepository.MemberKey, Long> highest = new TreeMap<>(MEMBER_ORDER);
        for (Message message : stored) {
            highest.merge(new MemberCursorRepository.MemberKey(message.getSenderId(), message.getConversationId()),
                    message.getSeq(), Math::max);
        }
        List<MemberCursorRepository.MemberTarget> targets = new ArrayList<>(highest.size());
        highest.forEach((member, seq) -> targets.add(new MemberCursorRepository.MemberTarget(member, seq)));
        return targets;
    }

    /**
     * The first of the new seqs of each conversation (as many as it has sends), in the map's order
     * (the lock order); null when a remembered last seq proved stale. Remembered conversations are
     * moved in batches; a conversation not remembered is read, after the batch before it.
     */
    private Map<String, Long> takeSeqs(Connection connection, Map<String, List<Integer>> byConversation,
            boolean fromMemory, long now) throws SQLException {
        Map<String, Long> firstSeqs = new HashMap<>();
        List<SeqReservation> remembered = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> conversation : byConversation.entrySet()) {
            String id = conversation.getKey();
            int count = conversation.getValue().size();
            long last = fromMemory ? storedSeqs.last(id) : -1;
            if (last > 0) {
                remembered.add(new SeqReservation(id, last, count));
                firstSeqs.put(id, last + 1);
                continue;
            }
            if (!conversations.reserveSeqsAfter(connection, remembered, now)) {
                return null;
            }
            remembered.clear();
            firstSeqs.put(id, conversations.reserveSeqs(connection, id, count, now));
        }
        return conversations.reserveSeqsAfter(connection, remembered, now) ? firstSeqs : null;
    }

    /**
     * Publishes the messages this batch stored. Within a conversation the items' order is the seq
     * order, so receivers get each conversation's messages in order.
     */
    @Override
    public void committed(List<ToStore> items, List<Outcome> outcomes) {
        for (int i = 0; i < items.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (stored(outcome)) {
                storedSeqs.stored(outcome.message().getConversationId(), outcome.message().getSeq());
                ToStore item = items.get(i);
                if (SendOrder.isNumbered(item.clientSeq())) {
                    storedClientSeqs.stored(item.device(), item.clientSeq());
                }
                if (outcome.roster() != null) {
                    // The roster was exact at the seq before this batch's; it is at the batch's seqs too.
                    rosters.remember(outcome.roster().at(outcome.message().getSeq()));
                }
            }
        }
    }

    @Override
    public void publish(List<ToStore> items, List<Outcome> outcomes) {
        List<DeliveryRouting.MessageRoute> routes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (stored(outcome)) {
                Message message = outcome.message();
                routes.add(new DeliveryRouting.MessageRoute(message, outcome.roster() != null
                        ? outcome.roster().memberIds() : List.of(items.get(i).receiverId(), message.getSenderId())));
            }
        }
        if (!routes.isEmpty()) {
            routing.publishMessages(routes);
        }
    }

    /** Stored by this batch (not a repeat, not refused). */
    private static boolean stored(Outcome outcome) {
        return outcome.message() != null && !outcome.duplicate();
    }
}

package im.checker.scenario;

import im.client.sdk.ConnectionState;
import im.client.sdk.ImClient;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device of a user and everything it was shown: what {@code onMessage} reported, and the
 * device's own sends as their acknowledgements reported them.
 */
final class SimDevice {
    final SimUser user;
    final String deviceId;
    volatile ImClient client;
    /** Set while the scenario closes the clients: a stop then is expected. */
    volatile boolean closing;

    /** What onMessage reported, per msgId: its conversation and how often. */
    final Map<Long, Display> displays = new ConcurrentHashMap<>();
    /** Per conversation: seq to the msgId shown there (own sends included). */
    final Map<String, NavigableMap<Long, Long>> view = new ConcurrentHashMap<>();
    /** Two different msgIds were shown at one seq: (conversation, seq, first, second). */
    final ConcurrentLinkedQueue<String> seqConflicts = new ConcurrentLinkedQueue<>();
    /** Messages of conversations this user is not a member of. */
    final ConcurrentLinkedQueue<Message> foreign = new ConcurrentLinkedQueue<>();
    /** msgIds of this device's own acknowledged sends. */
    final Set<Long> ownAcked = ConcurrentHashMap.newKeySet();
    /** Messages this very device sent that reached its onMessage (the SDK reports those by SendAck only). */
    final ConcurrentLinkedQueue<Message> ownEchoes = new ConcurrentLinkedQueue<>();
    /** Times the client stopped for good while the scenario still used it, with the cause. */
    final ConcurrentLinkedQueue<String> stops = new ConcurrentLinkedQueue<>();
    final AtomicInteger reconnects = new AtomicInteger();
    volatile ConnectionState state = ConnectionState.DISCONNECTED;
    /** Sends made per conversation (the next send's position); used by the scenario's one sending thread. */
    final Map<String, Integer> sendsMade = new HashMap<>();

    SimDevice(SimUser user, String deviceId) {
        this.user = user;
        this.deviceId = deviceId;
    }

    void shown(Message m, Set<String> memberOf) {
        displays.computeIfAbsent(m.getMsgId(), k -> new Display(m.getConversationId(), new AtomicInteger()))
                .times().incrementAndGet();
        if (m.getSenderId() == user.userId && deviceId.equals(m.getSenderDeviceId())) {
            ownEchoes.add(m);
        }
        if (!memberOf.contains(m.getConversationId())) {
            foreign.add(m);
            return;
        }
        place(m.getConversationId(), m.getSeq(), m.getMsgId());
    }

    void acked(SendAck ack) {
        ownAcked.add(ack.getMsgId());
        place(ack.getConversationId(), ack.getSeq(), ack.getMsgId());
    }

    private void place(String conversation, long seq, long msgId) {
        Long before = view.computeIfAbsent(conversation, k -> new ConcurrentSkipListMap<>()).putIfAbsent(seq, msgId);
        if (before != null && before != msgId) {
            seqConflicts.add(conversation + " seq " + seq + ": " + before + " then " + msgId);
        }
    }

    /** Highest seq held in the conversation with none missing below it. */
    long contiguous(String conversation) {
        NavigableMap<Long, Long> seqs = view.get(conversation);
        if (seqs == null) {
            return 0;
        }
        long expected = 1;
        for (Long seq : seqs.keySet()) {
            if (seq != expected) {
                break;
            }
            expected++;
        }
        return expected - 1;
    }

    List<Long> msgIdsBySeq(String conversation) {
        NavigableMap<Long, Long> seqs = view.get(conversation);
        return seqs == null ? List.of() : List.copyOf(seqs.values());
    }

    String name() {
        return user.username + "/" + deviceId;
    }

    /** One msgId shown by onMessage: in which conversation, and how many times. */
    record Display(String conversationId, AtomicInteger times) {
    }
}

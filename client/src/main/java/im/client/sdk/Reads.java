package im.client.sdk;

import im.protocol.client.DeliveryReceipt;
import im.protocol.client.Frame;
import im.protocol.client.Read;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import io.netty.channel.EventLoopGroup;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Read positions both ways: the read marks this device makes (kept while no session is open, the
 * highest per conversation, and sent on the next one), and the receipts that tell how far the
 * other members hold and have read, which decide {@link #statusOf}. Receipts arrive on the event
 * loop; marks and status queries come from any thread.
 */
final class Reads {

    private final Connector connector;
    private final Dispatcher dispatcher;
    private final EventLoopGroup group;
    private final PeerPositions peers;
    /** Read marks made while no session was open, sent on the next one. */
    private final Map<String, Long> unsentReads;

    Reads(int maxConversations, Connector connector, Dispatcher dispatcher, EventLoopGroup group) {
        this.connector = connector;
        this.dispatcher = dispatcher;
        this.group = group;
        this.peers = new PeerPositions(maxConversations);
        this.unsentReads = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxConversations;
            }
        };
    }

    /** See {@link ImClient#markRead}. */
    void mark(String conversationId, long upToSeq) {
        Objects.requireNonNull(conversationId, "conversationId");
        if (upToSeq < 1) {
            return;
        }
        synchronized (unsentReads) {
            unsentReads.merge(conversationId, upToSeq, Math::max);
        }
        group.execute(() -> flush(connector.session()));
    }

    /** Writes the marks not sent yet on this session (event loop). */
    void flush(Connection c) {
        if (c == null) {
            return;
        }
        Map<String, Long> due;
        synchronized (unsentReads) {
            if (unsentReads.isEmpty()) {
                return;
            }
            due = new HashMap<>(unsentReads);
            unsentReads.clear();
        }
        due.forEach((conversation, seq) -> c.channel.write(Frame.newBuilder().setRead(Read.newBuilder()
                .setConversationId(conversation).setUpToSeq(seq)).build()));
        c.channel.flush();
    }

    void readReceipt(ReadReceipt receipt) {
        if (receipt.getReaderId() != connector.userId()) {
            peers.read(receipt.getConversationId(), receipt.getUpToSeq());
        }
        dispatcher.toListener(l -> l.onReadReceipt(receipt));
    }

    void deliveryReceipt(DeliveryReceipt receipt) {
        if (receipt.getRecipientId() != connector.userId()) {
            peers.delivered(receipt.getConversationId(), receipt.getUpToSeq());
        }
        dispatcher.toListener(l -> l.onDeliveryReceipt(receipt));
    }

    /** The answer to a receipts request: the positions it names (the user's own aside) are taken. */
    void receipts(Receipts receipts) {
        long userId = connector.userId();
        receipts.getDeliveredList().stream().filter(r -> r.getRecipientId() != userId)
                .forEach(r -> peers.delivered(receipts.getConversationId(), r.getUpToSeq()));
        receipts.getReadList().stream().filter(r -> r.getReaderId() != userId)
                .forEach(r -> peers.read(receipts.getConversationId(), r.getUpToSeq()));
    }

    MessageStatus statusOf(String conversationId, long seq) {
        return peers.statusOf(conversationId, seq);
    }
}

package im.client.sdk;

import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.ConversationSummary;
import im.protocol.client.Message;
import im.protocol.client.MessagesHidden;
import im.protocol.client.ReadReceipt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The user's conversation list as this client keeps it current: pages read from the server set
 * it, then the frames the client gets anyway move it, with no polling. A message of another user
 * beyond the read position adds one unread; the user's own message (from any device) and a read
 * receipt of the user's own (another device read) move the read position; a settings frame sets
 * the settings. Every change reaches {@link ImClient.Listener#onConversationChanged} with a
 * snapshot. Bounded: past {@code maxConversations} the one touched longest ago is forgotten
 * (the next page that names it brings it back).
 *
 * <p>A conversation first met by a delivery, not by a page, counts unread from that message on
 * (as if the user's history began there): what came before it is unknown here until a page names it.
 */
final class Conversations {

    private final Dispatcher dispatcher;
    private final LongSupplier userId;
    private final Map<String, ConversationView> views;

    Conversations(int maxConversations, Dispatcher dispatcher, LongSupplier userId) {
        this.dispatcher = dispatcher;
        this.userId = userId;
        this.views = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ConversationView> eldest) {
                return size() > maxConversations;
            }
        };
    }

    /** A page from the server: its entries as the server knew them, merged with what came since. */
    void page(ConversationPage page) {
        for (ConversationSummary summary : page.getConversationsList()) {
            ConversationView fromServer = ConversationView.of(summary);
            change(summary.getConversationId(), known -> known == null ? fromServer : merged(known, fromServer));
        }
    }

    /** A message this client now holds (delivered, synced, or its own send acknowledged). */
    void message(Message m) {
        long me = userId.getAsLong();
        boolean own = m.getSenderId() == me;
        change(m.getConversationId(), known -> {
            ConversationView base = known != null ? known : ConversationView.startingAt(m.getConversationId(), m.getSeq());
            if (m.getSeq() <= base.lastSeq() && !(own && m.getSeq() > base.readSeq())) {
                return base;
            }
            boolean newest = m.getSeq() > base.lastSeq();
            List<Long> mentions = base.unreadMentionSeqs();
            if (!own && m.getMentionsList().contains(me)) {
                mentions = with(mentions, m.getSeq());
            }
            List<Long> changes = m.hasChange() ? with(base.unreadChangeSeqs(), m.getSeq()) : base.unreadChangeSeqs();
            return base.withPositions(Math.max(base.lastSeq(), m.getSeq()), base.firstSeq(),
                    own ? Math.max(base.readSeq(), m.getSeq()) : base.readSeq(),
                    newest ? m : base.lastMessage(), newest ? m.getCreatedAtMs() : base.lastActivityMs(), mentions,
                    changes);
        });
    }

    /** The user read up to a seq: on this device (its mark) or another (a receipt of the user's own). */
    void read(String conversationId, long upToSeq) {
        change(conversationId, known -> known == null || upToSeq <= known.readSeq() ? known
                : known.withPositions(known.lastSeq(), known.firstSeq(), upToSeq, known.lastMessage(),
                        known.lastActivityMs(), known.unreadMentionSeqs(), known.unreadChangeSeqs()));
    }

    void readReceipt(ReadReceipt receipt) {
        if (receipt.getReaderId() == userId.getAsLong()) {
            read(receipt.getConversationId(), receipt.getUpToSeq());
        }
    }

    void settings(ConversationSettings settings) {
        change(settings.getConversationId(), known -> known == null ? null
                : known.withSettings(settings.getNotificationsOff(), settings.getPinnedAtMs()));
    }

    /** The user hid messages: a hidden last message shows as hidden. */
    void hidden(MessagesHidden hidden) {
        change(hidden.getConversationId(), known -> known == null || known.lastMessage() == null
                || !hidden.getSeqsList().contains(known.lastMessage().getSeq()) ? known
                : known.withLastMessage(known.lastMessage().toBuilder().clearBody().clearContent().clearMentions()
                        .setHidden(true).build()));
    }

    ConversationView get(String conversationId) {
        synchronized (views) {
            return views.get(conversationId);
        }
    }

    /** Every conversation known here, in the list's order. */
    List<ConversationView> list() {
        List<ConversationView> all;
        synchronized (views) {
            all = new ArrayList<>(views.values());
        }
        all.sort(ConversationView::compareInList);
        return all;
    }

    private void change(String conversationId, UnaryOperator<ConversationView> how) {
        ConversationView before;
        ConversationView after;
        synchronized (views) {
            before = views.get(conversationId);
            after = how.apply(before);
            if (after == null || after.equals(before)) {
                return;
            }
            views.put(conversationId, after);
        }
        ConversationView changed = after;
        dispatcher.toListener(l -> l.onConversationChanged(changed));
    }

    /** The server's entry, with what this client learned since it was read kept (positions only move forward). */
    private static ConversationView merged(ConversationView known, ConversationView server) {
        boolean serverNewer = server.lastSeq() >= known.lastSeq();
        return server.withPositions(Math.max(known.lastSeq(), server.lastSeq()), server.firstSeq(),
                Math.max(known.readSeq(), server.readSeq()),
                serverNewer ? server.lastMessage() : known.lastMessage(),
                serverNewer ? server.lastActivityMs() : known.lastActivityMs(),
                union(server.unreadMentionSeqs(), known.unreadMentionSeqs()),
                union(server.unreadChangeSeqs(), known.unreadChangeSeqs()));
    }

    private static List<Long> with(List<Long> seqs, long seq) {
        List<Long> more = new ArrayList<>(seqs);
        more.add(seq);
        return more;
    }

    private static List<Long> union(List<Long> a, List<Long> b) {
        List<Long> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }
}

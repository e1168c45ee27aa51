package im.client.sdk;

import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.SyncPage;
import im.protocol.client.SyncRequest;
import io.netty.channel.Channel;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Fills seq gaps. A gap may be a push still on its way; after a short grace, a gap that is still
 * there is filled by syncing from the contiguous cursor, page after page, and the server then hears
 * how far this device holds the conversation. A chase belongs to the connection it started on.
 * Event loop.
 */
final class GapChaser {

    private final HeldMessages held;
    private final Requests requests;
    private final Dispatcher dispatcher;
    private final Supplier<Connection> current;
    private final TimeoutScheduler scheduler;
    private final Duration grace;
    /** Conversations with a sync chase in progress, to the contiguous cursor when it began. */
    private final Map<String, Long> syncing = new ConcurrentHashMap<>();
    private final Set<String> gapChecks = ConcurrentHashMap.newKeySet();

    /**
     * @param current   the connection in use now; a chase on any other one stops
     * @param scheduler runs the check after the grace, on the event loop
     */
    GapChaser(HeldMessages held, Requests requests, Dispatcher dispatcher, Supplier<Connection> current,
            TimeoutScheduler scheduler, Duration grace) {
        this.held = held;
        this.requests = requests;
        this.dispatcher = dispatcher;
        this.current = current;
        this.scheduler = scheduler;
        this.grace = grace;
    }

    /** Looks at the conversation again after the grace, when it has a gap now. */
    void checkLater(Connection c, String conversation) {
        if (!held.hasGap(conversation) || !gapChecks.add(conversation)) {
            return;
        }
        scheduler.schedule(() -> {
            gapChecks.remove(conversation);
            if (held.hasGap(conversation) && c == current.get()
                    && syncing.putIfAbsent(conversation, held.contiguous(conversation)) == null) {
                chase(c, conversation, held.contiguous(conversation));
            }
        }, grace);
    }

    /** The connection is gone, and the chases on it with it. */
    void clear() {
        syncing.clear();
    }

    private void chase(Connection c, String conversation, long afterSeq) {
        if (c != current.get() || c.channel == null) {
            syncing.remove(conversation);
            return;
        }
        requests.ask(c.channel, Frame.newBuilder().setSyncRequest(SyncRequest.newBuilder()
                .setConversationId(conversation).setAfterSeq(afterSeq).setLimit(ImClient.MAX_SYNC_PAGE)),
                Frame::getSyncPage, Frame.BodyCase.SYNC_PAGE)
                .whenComplete((page, failure) -> {
                    if (failure != null) {
                        syncing.remove(conversation);
                    } else {
                        followPage(c, page);
                    }
                });
    }

    /** After a page asked for to fill a gap (its messages already held): ask for the next one, or finish. */
    private void followPage(Connection c, SyncPage page) {
        String conversation = page.getConversationId();
        syncing.putIfAbsent(conversation, held.contiguous(conversation));
        if (page.getHasMore() && page.getMessagesCount() > 0) {
            long after = page.getMessages(page.getMessagesCount() - 1).getSeq();
            chase(c, conversation, after);
            return;
        }
        Long startedAt = syncing.remove(conversation);
        long contiguous = held.contiguous(conversation);
        // Tell the server (and so the senders) how far this device now holds the conversation.
        if (startedAt != null && contiguous > startedAt) {
            dispatcher.afterListener(() -> {
                Channel ch = c.channel;
                if (ch != null && ch.isActive()) {
                    ch.writeAndFlush(Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                            .setConversationId(conversation).setSeq(contiguous)).build());
                }
            });
            // Re-check only when this chase made progress, so a gap the server cannot fill does
            // not turn into a loop of empty syncs.
            checkLater(c, conversation);
        }
    }
}

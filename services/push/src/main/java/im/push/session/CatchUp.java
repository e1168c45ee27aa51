package im.push.session;

import im.protocol.client.ConversationCursor;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.SyncPage;
import im.protocol.router.SyncResponse;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The server-driven catch-up of one session after Hello: the conversations HelloOk named as
 * behind are paged to the device as unsolicited SyncPages (request_id 0), one page at a time. The
 * next page (the same conversation while it has more, then the next conversation) goes only once
 * the device acknowledges the page with DeliverAck{conversation, seq >= the page's last seq}; a
 * page left unacknowledged for the retry timeout is sent again, up to the attempt limit, and then
 * the catch-up stops (the device can always page with SyncRequest itself).
 *
 * <p>Confined to the channel's event loop: router answers hop onto it; nothing here blocks.
 */
final class CatchUp {

    private static final Logger LOG = Logger.getLogger(CatchUp.class);

    /** Where pages come from: the router's Sync as the session's user. */
    @FunctionalInterface
    interface Pages {
        CompletableFuture<SyncResponse> after(String conversationId, long afterSeq);
    }

    private final Channel channel;
    private final EventLoop loop;
    private final Pages pages;
    private final Duration timeout;
    private final int maxAttempts;
    /** Conversations still to page, each with the seq the device holds. */
    private final ArrayDeque<ConversationCursor> todo;

    private Frame page;
    private String conversationId;
    private long lastSeq;
    private boolean hasMore;
    private int attempt;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    CatchUp(Channel channel, Pages pages, Duration timeout, int maxAttempts, List<ConversationCursor> behind) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.pages = pages;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.todo = new ArrayDeque<>(behind);
    }

    /** Sends the first page (event loop). */
    void start() {
        nextConversation();
    }

    /** Whether pages are still being sent or awaited. */
    boolean running() {
        return !stopped;
    }

    /** The device acknowledged up to {@code seq} in a conversation (event loop). */
    void acknowledged(String conversation, long seq) {
        if (stopped || page == null || !conversation.equals(conversationId) || seq < lastSeq) {
            return;
        }
        cancelTimer();
        page = null;
        if (hasMore) {
            fetch(conversationId, lastSeq);
        } else {
            nextConversation();
        }
    }

    /** The session is gone, or the catch-up gave up (event loop). */
    void stop() {
        stopped = true;
        cancelTimer();
        page = null;
        todo.clear();
    }

    private void nextConversation() {
        ConversationCursor next = todo.pollFirst();
        if (next == null) {
            stopped = true;
            return;
        }
        fetch(next.getConversationId(), next.getLastSeq());
    }

    private void fetch(String conversation, long afterSeq) {
        pages.after(conversation, afterSeq).whenComplete((response, failure) -> {
            if (loop.inEventLoop()) {
                arrived(conversation, response, failure);
            } else {
                loop.execute(() -> arrived(conversation, response, failure));
            }
        });
    }

    private void arrived(String conversation, SyncResponse response, Throwable failure) {
        if (stopped || !channel.isActive()) {
            return;
        }
        if (failure != null) {
            LOG.debugf("catch-up of %s stopped: %s", conversation, failure.getMessage());
            stop();
            return;
        }
        if (response.getMessagesCount() == 0) {
            nextConversation();
            return;
        }
        List<Message> messages = response.getMessagesList();
        conversationId = conversation;
        lastSeq = messages.get(messages.size() - 1).getSeq();
        hasMore = response.getHasMore();
        attempt = 0;
        page = Frame.newBuilder().setSyncPage(SyncPage.newBuilder()
                .setConversationId(conversation)
                .addAllMessages(messages)
                .setHasMore(response.getHasMore())
                .setLastSeq(response.getLastSeq())
                .setFirstSeq(response.getFirstSeq())).build();
        write();
    }

    private void write() {
        channel.writeAndFlush(page);
        timer = loop.schedule(this::timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void timedOut() {
        timer = null;
        if (stopped || page == null || !channel.isActive()) {
            return;
        }
        if (attempt >= maxAttempts) {
            LOG.debugf("catch-up stopped: page of %s up to %d not acknowledged", conversationId, lastSeq);
            stop();
            return;
        }
        attempt++;
        write();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

package im.client.sdk;

import im.protocol.client.Error;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes sends into the outbox and writes them on the session, in outbox order; settles each one
 * once, with its SendAck (or the stored message standing in for it) or a final refusal, and
 * writes it again after a passing refusal, a renumbering or a new session. Only {@link #send}
 * runs off the event loop.
 */
final class Sender {

    /** A refused send that may pass later (UNAVAILABLE, INTERNAL, RATE_LIMITED) is tried this often. */
    private static final int MAX_SEND_FAILURES = 3;
    /** OUT_OF_ORDER answers one send may get before it fails; the server settles in one or two. */
    private static final int MAX_RENUMBERS = 16;

    private final Outbox outbox;
    private final Connector connector;
    private final Requests requests;
    private final EventLoopGroup group;
    private final Backoff backoff;
    private final String deviceId;
    private final Duration requestTimeout;
    private final boolean autoReconnect;
    private final boolean numberSends;
    private final Conversations conversations;

    Sender(ImClientBuilder settings, Outbox outbox, Connector connector, Requests requests,
            EventLoopGroup group, Backoff backoff, Conversations conversations) {
        this.conversations = conversations;
        this.outbox = outbox;
        this.connector = connector;
        this.requests = requests;
        this.group = group;
        this.backoff = backoff;
        this.deviceId = settings.deviceId;
        this.requestTimeout = settings.requestTimeout;
        this.autoReconnect = settings.autoReconnect;
        this.numberSends = settings.numberSends;
    }

    /** See {@link ImClient#send(Send)}. Any thread. */
    CompletableFuture<SendAck> send(Send send) {
        Objects.requireNonNull(send, "send");
        if (send.getClientMsgId().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("clientMsgId is required"));
        }
        if (send.getTargetCase() == Send.TargetCase.TARGET_NOT_SET) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("toUserId or groupId is required"));
        }
        Outbox.Entry entry;
        try {
            entry = connector.admit(send);
        } catch (IllegalStateException | OutboxFullException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        group.execute(() -> pump(connector.session()));
        // A copy: the caller completing its future must not complete the outbox's.
        return entry.result.copy();
    }

    /** Writes what the outbox holds for this session, in order. */
    void pump(Connection c) {
        if (c == null) {
            return;
        }
        List<Outbox.Entry> due = outbox.toWrite(c, System.nanoTime(), requests::nextId);
        if (due.isEmpty()) {
            return;
        }
        for (Outbox.Entry e : due) {
            long id = e.requestId;
            c.channel.write(Frame.newBuilder().setRequestId(id).setSend(outbox.frameBody(e)).build());
            group.schedule(() -> timedOut(e, id), requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        c.channel.flush();
    }

    /**
     * No answer to an attempt in time. With reconnecting on, the connection is taken as broken:
     * the next session writes every waiting send again in order. Without, the send fails.
     */
    private void timedOut(Outbox.Entry e, long requestId) {
        if (outbox.current(requestId) != e) {
            return;
        }
        TimeoutException timeout = new TimeoutException(
                "no answer to send " + e.send.getClientMsgId() + " within " + requestTimeout.toMillis() + " ms");
        Connection c = connector.current();
        if (autoReconnect && c != null && e.sentOn == c && c.channel != null) {
            c.handler.recordCause(timeout);
            c.channel.close();
        } else if (!autoReconnect && outbox.remove(e)) {
            e.result.completeExceptionally(timeout);
        }
    }

    /** Completes the send the ack is for; false when no send waits for it. */
    boolean acked(SendAck ack) {
        Outbox.Entry e = outbox.acked(ack);
        if (e == null) {
            return false;
        }
        conversations.message(storedAs(e.send, ack));
        e.result.complete(ack);
        return true;
    }

    /** The message the server stored for this device's send, as the other devices get it. */
    private Message storedAs(Send send, SendAck ack) {
        long me = connector.userId();
        Message.Builder stored = Message.newBuilder().setMsgId(ack.getMsgId())
                .setConversationId(ack.getConversationId()).setSeq(ack.getSeq())
                .setSenderId(me).setSenderDeviceId(deviceId)
                .setClientMsgId(ack.getClientMsgId()).setBody(send.getBody())
                .setCreatedAtMs(ack.getCreatedAtMs())
                .addAllMentions(send.getMentionsList().stream().filter(user -> user != me).distinct().sorted().toList());
        if (send.hasContent()) {
            stored.setContent(send.getContent());
        }
        return stored.build();
    }

    /**
     * The server refused request {@code requestId}; false when that is not the current attempt of
     * a waiting send.
     */
    boolean refused(Connection c, long requestId, Error error) {
        Outbox.Entry e = outbox.current(requestId);
        if (e == null) {
            return false;
        }
        ErrorCode code = error.getCode();
        if (code == ErrorCode.OUT_OF_ORDER && numberSends && error.getExpectedClientSeq() > 0
                && error.getExpectedClientSeq() != e.clientSeq && e.renumbered++ < MAX_RENUMBERS) {
            outbox.renumberFrom(e, error.getExpectedClientSeq());
            pump(c);
            return true;
        }
        if (code == ErrorCode.RATE_LIMITED && error.getRetryAfterMs() > 0) {
            // The user's send limit: the server says when this send passes. Not a failure, so a
            // burst (an outbox written after a reconnect) drains at the allowed rate, none lost.
            long delay = error.getRetryAfterMs();
            outbox.deferTo(e, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
            group.schedule(() -> pump(connector.session()), delay, TimeUnit.MILLISECONDS);
            return true;
        }
        if ((code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL || code == ErrorCode.RATE_LIMITED)
                && e.failures < MAX_SEND_FAILURES) {
            long delay = backoff.ceilingMillis(e.failures);
            outbox.retryAt(e, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
            group.schedule(() -> pump(connector.session()), delay, TimeUnit.MILLISECONDS);
            return true;
        }
        if (outbox.remove(e)) {
            e.result.completeExceptionally(new ImErrorException(code, error.getMessage()));
            // Later sends of this conversation carry numbers after the refused one; the server
            // answers OUT_OF_ORDER and they are renumbered from what it expects.
        }
        return true;
    }

    /**
     * A message this device sent that reaches it stored before its SendAck did (the ack was lost,
     * or a page or retransmission overtook it): it is that ack. The application sees the send
     * complete and is not shown the message a second time. A message of this device that the
     * outbox no longer holds (history from an earlier run) is shown as usual.
     */
    boolean completesOwnSend(Message m, String conversation) {
        if (m.getSenderId() != connector.userId() || !m.getSenderDeviceId().equals(deviceId)) {
            return false;
        }
        SendAck ack = SendAck.newBuilder().setClientMsgId(m.getClientMsgId()).setMsgId(m.getMsgId())
                .setConversationId(conversation).setSeq(m.getSeq()).setCreatedAtMs(m.getCreatedAtMs()).build();
        return acked(ack);
    }

    /** Sends waiting for their acknowledgement. */
    int waiting() {
        return outbox.size();
    }
}

package im.client.sdk;

import com.google.protobuf.ByteString;
import im.protocol.client.Content;
import im.protocol.client.ConversationIds;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.Error;
import im.protocol.client.Frame;
import im.protocol.client.GetConversations;
import im.protocol.client.GetPresence;
import im.protocol.client.GetReceipts;
import im.protocol.client.HideMessages;
import im.protocol.client.HelloOk;
import im.protocol.client.Message;
import im.protocol.client.MessageChange;
import im.protocol.client.MessagesHidden;
import im.protocol.client.Ping;
import im.protocol.client.Pong;
import im.protocol.client.Presence;
import im.protocol.client.PresenceList;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Reauthenticate;
import im.protocol.client.Receipts;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.client.SetConversationSettings;
import im.protocol.client.SyncPage;
import im.protocol.client.SyncRequest;
import im.protocol.client.TextContent;
import im.protocol.client.Typing;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A device's connection to push, over TCP ({@code tcp://host:7000}, {@code tls://}) or WebSocket
 * ({@code ws://host:7001/ws}, {@code wss://}).
 *
 * <p>What the caller can rely on:
 * <ul>
 *   <li>{@link Listener#onMessage} is called exactly once for every message this client comes to
 *       hold, whether it arrived as a push, in a catch-up page the server sent after Hello, or in a
 *       page the caller asked for with {@link #sync}; messages this client sent itself are reported
 *       by their {@link SendAck} instead. Arrival order may differ from seq order when a push
 *       overtakes a page: order by {@link Message#getSeq()}.</li>
 *   <li>A pushed message, and a catch-up page, is acknowledged to the server only after
 *       {@code onMessage} returned for it.</li>
 *   <li>Once connected, a connection lost for any reason other than {@link #close()},
 *       {@code SESSION_REPLACED}, {@code SESSION_REVOKED} or a refused token is re-established with jittered exponential
 *       backoff (see {@link Builder#reconnectBackoff}); Hello then presents {@link #cursors()}.
 *       {@link Listener#onConnectionState} follows each change; {@link Listener#onDisconnected}
 *       reports only the final stop.</li>
 *   <li>Every send waits in a bounded outbox until the server acknowledges it and is written again
 *       on each new session with the same clientMsgId and clientSeq; its future completes once,
 *       with the ack, whichever attempt got it. Sends are numbered per conversation (clientSeq 1,
 *       2, 3, ...) so the server stores them in the order they were made.</li>
 *   <li>Listener methods run on one client thread, in arrival order, never on the network thread,
 *       so they may call back into the client (even block on its futures).</li>
 *   <li>Every method may be called from any thread.</li>
 * </ul>
 */
public final class ImClient implements AutoCloseable {

    /** What the client reports. Every method defaults to doing nothing. */
    public interface Listener {

        /**
         * A message for this device (another user's, or the user's own from another device). In a
         * group this includes its system messages: {@link Message#hasGroupEvent()}, body empty, the
         * sender being the member who made the change.
         */
        default void onMessage(Message message) {
        }

        /**
         * A member has read the conversation up to a seq: another member (my messages up to it are
         * read, see {@link ImClient#statusOf}), or this user on another device.
         */
        default void onReadReceipt(ReadReceipt receipt) {
        }

        /**
         * A conversation of the user's list changed here: a message came or was sent, the user read
         * it on some device, or its settings changed (see {@link ImClient#conversations}).
         */
        default void onConversationChanged(ConversationView conversation) {
        }

        /**
         * A friend came online (its first device) or went offline (its last device left), at most
         * once a second per friend. Friends who hide their presence are never told.
         */
        default void onPresence(Presence presence) {
        }

        /** The user deleted these messages for itself on another device: show them as deleted. */
        default void onMessagesHidden(MessagesHidden hidden) {
        }

        /** Some device of another member holds the conversation up to a seq. */
        default void onDeliveryReceipt(DeliveryReceipt receipt) {
        }

        /**
         * Another member ({@code typing.getUserId()}) is typing in the conversation, or stopped. The
         * client keeps no state of it: show a "typing" for about 6 s after the last one, and take
         * it down at a "stopped" or at a message from that member.
         */
        default void onTyping(Typing typing) {
        }

        /** The connection changed state; called once per change, in order. */
        default void onConnectionState(ConnectionState state) {
        }

        /**
         * The client stopped for good. {@code cause} is null when {@link #close()} closed it;
         * otherwise why (an {@link ImErrorException} such as SESSION_REPLACED, SESSION_REVOKED
         * (logged out everywhere, or banned: log in again), UNAUTHENTICATED or
         * TOKEN_EXPIRED without a token supplier; or the network failure when reconnecting is
         * off). Called only when a session had been open since {@link #connect()}; a connect that
         * never got its Hello answered fails its future instead.
         */
        default void onDisconnected(Throwable cause) {
        }
    }

    /** The server's page limit; the default sync page size. */
    public static final int MAX_SYNC_PAGE = 100;

    /** The server's largest conversation list page. */
    public static final int MAX_CONVERSATION_PAGE = 100;

    private final EventLoopGroup group;
    private final HeldMessages held;
    private final Requests requests;
    private final Dispatcher dispatcher;
    private final Handshake handshake;
    private final Connector connector;
    private final Sender sender;
    private final GapChaser gaps;
    private final Deliveries deliveries;
    private final Reads reads;
    private final Conversations conversations;
    private final Typings typings;

    ImClient(ImClientBuilder b) {
        // Settings that may still be refused are read before any thread or selector exists.
        List<Endpoint> endpoints = b.endpoints.stream().map(Endpoint::of).toList();
        SslContext sslContext = endpoints.stream().anyMatch(Endpoint::secure)
                ? Objects.requireNonNullElseGet(b.sslContext, () -> ServerTrust.systemDefault().nettyContext())
                : null;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("im-client-io", true));
        TimeoutScheduler onLoop = (task, delay) -> {
            ScheduledFuture<?> f = group.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        };
        Backoff backoff = new Backoff(b.backoffBase, b.backoffCap,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        Outbox outbox = new Outbox(b.maxOutbox, b.numberSends, b.maxConversations);
        this.held = new HeldMessages(b.maxHeldAboveGap, b.cursors);
        this.requests = new Requests(new PendingRequests(b.maxPendingRequests, onLoop), b.requestTimeout);
        this.dispatcher = new Dispatcher(b.listener, b.listenerQueueHigh, Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("im-client-listener", true)), this::readFromNetwork);
        this.handshake = new Handshake(b.deviceId, b.accessToken, b.tokenSupplier, held, requests);
        this.connector = new Connector(endpoints, sslContext, b, group, backoff, handshake, outbox, dispatcher,
                new Connector.Events() {
                    @Override
                    public void sessionOpened(Connection c) {
                        sender.pump(c);
                        reads.flush(c);
                    }

                    @Override
                    public void frame(Connection c, Frame frame) {
                        route(c, frame);
                    }

                    @Override
                    public void lost(Throwable failure) {
                        requests.failAll(failure);
                        gaps.clear();
                    }
                });
        this.conversations = new Conversations(b.maxConversations, dispatcher, connector::userId);
        this.sender = new Sender(b, outbox, connector, requests, group, backoff, conversations);
        this.gaps = new GapChaser(held, requests, dispatcher, connector::current, onLoop, b.gapGrace);
        this.deliveries = new Deliveries(held, sender, gaps, dispatcher, conversations);
        this.reads = new Reads(b.maxConversations, connector, dispatcher, group);
        this.typings = new Typings(b.maxConversations);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the connection and says Hello with {@link #cursors()}. The server then pages every
     * conversation that is behind; the messages reach {@link Listener#onMessage}. The future fails
     * when this first attempt fails (no automatic retry for it); once it succeeded, lost
     * connections are re-established automatically (unless {@link Builder#autoReconnect} is off).
     * May be called again after the client stopped ({@link Listener#onDisconnected}) to resume
     * with the cursors held so far.
     */
    public CompletableFuture<HelloOk> connect() {
        return connector.connect();
    }

    /** Sends {@code body} to a user as a new message (a fresh clientMsgId). See {@link #send(Send)}. */
    public CompletableFuture<SendAck> send(long toUserId, byte[] body) {
        return send(Send.newBuilder()
                .setClientMsgId(ClientMsgIds.next())
                .setToUserId(toUserId)
                .setBody(ByteString.copyFrom(body))
                .build());
    }

    /**
     * Sends {@code body} to a group (conversation {@code g:{groupId}}) as a new message. Waits,
     * numbers and retries like a private send; the server refuses it with PERMISSION_DENIED when the
     * sender is muted, the group is muted for members or dissolved, and with UNKNOWN_CONVERSATION
     * when the sender is not a member. See {@link #send(Send)}.
     */
    public CompletableFuture<SendAck> sendToGroup(long groupId, byte[] body) {
        return send(Send.newBuilder()
                .setClientMsgId(ClientMsgIds.next())
                .setGroupId(groupId)
                .setBody(ByteString.copyFrom(body))
                .build());
    }

    /**
     * Sends {@code text} to a user as a text message, mentioning {@code mentions} (the user, if
     * anyone: the server refuses others). See {@link #send(Send)}.
     */
    public CompletableFuture<SendAck> sendText(long toUserId, String text, long... mentions) {
        return send(textSend(text, mentions).setToUserId(toUserId).build());
    }

    /**
     * Sends {@code text} to a group as a text message, mentioning {@code mentions} (members; each
     * mentioned member's conversation list counts the mention until it reads past it). See
     * {@link #send(Send)}.
     */
    public CompletableFuture<SendAck> sendTextToGroup(long groupId, String text, long... mentions) {
        return send(textSend(text, mentions).setGroupId(groupId).build());
    }

    private static Send.Builder textSend(String text, long... mentions) {
        Send.Builder send = Send.newBuilder().setClientMsgId(ClientMsgIds.next())
                .setContent(Content.newBuilder().setText(TextContent.newBuilder().setText(text)));
        for (long mentioned : mentions) {
            send.addMentions(mentioned);
        }
        return send;
    }

    /**
     * Recalls a message of a conversation for everyone: the user's own within the server's recall
     * window (2 minutes by default), or any message of a group the user owns or administers. The
     * recall is a message of its own in the timeline (its {@code change}), so every device applies
     * it, online or when it syncs later; the recalled message arrives with {@code recalled} set and
     * nothing it said. Acknowledged like a send (with the recall's own seq).
     */
    public CompletableFuture<SendAck> recall(String conversationId, long seq) {
        return send(changeOf(conversationId, MessageChange.newBuilder().setKind(MessageChange.Kind.RECALLED)
                .setTargetSeq(seq)));
    }

    /**
     * Edits one of the user's own text messages (within the server's edit window, 2 days by
     * default): a change in the timeline that says what the message says now. Later edits win.
     */
    public CompletableFuture<SendAck> edit(String conversationId, long seq, String newText) {
        return send(changeOf(conversationId, MessageChange.newBuilder().setKind(MessageChange.Kind.EDITED)
                .setTargetSeq(seq).setContent(Content.newBuilder().setText(TextContent.newBuilder().setText(newText)))));
    }

    private Send changeOf(String conversationId, MessageChange.Builder change) {
        Objects.requireNonNull(conversationId, "conversationId");
        Send.Builder send = Send.newBuilder().setClientMsgId(ClientMsgIds.next()).setChange(change);
        if (ConversationIds.isPrivate(conversationId)) {
            send.setToUserId(ConversationIds.peerOf(conversationId, connector.userId()));
        } else {
            send.setGroupId(Long.parseLong(conversationId.substring(conversationId.indexOf(':') + 1)));
        }
        return send.build();
    }

    /**
     * Whether these users (at most 100) are online, and when each was last seen: the answer names
     * only friends who show their presence. Needs an open session.
     */
    public CompletableFuture<PresenceList> presence(long... userIds) {
        GetPresence.Builder ask = GetPresence.newBuilder();
        for (long userId : userIds) {
            ask.addUserIds(userId);
        }
        return inSession(Frame.newBuilder().setGetPresence(ask), Frame::getPresenceList, Frame.BodyCase.PRESENCE_LIST);
    }

    /**
     * Deletes messages for this user only ("delete for me"): from then on every device of the user
     * reads them with {@code hidden} set and nothing they said; the other members still see them.
     * The user's other online devices hear of it ({@link Listener#onMessagesHidden}). Needs an open
     * session.
     */
    public CompletableFuture<MessagesHidden> hideForMe(String conversationId, long... seqs) {
        HideMessages.Builder hide = HideMessages.newBuilder()
                .setConversationId(Objects.requireNonNull(conversationId, "conversationId"));
        for (long seq : seqs) {
            hide.addSeqs(seq);
        }
        return inSession(Frame.newBuilder().setHideMessages(hide), Frame::getMessagesHidden,
                Frame.BodyCase.MESSAGES_HIDDEN).thenApply(hidden -> {
                    conversations.hidden(hidden);
                    return hidden;
                });
    }

    /**
     * Sends exactly this {@link Send} (with its clientSeq set by the client when it numbers
     * sends) to its target, a user ({@code to_user_id}) or a group ({@code group_id}). The send
     * waits in the outbox until the server acknowledges it: it is written now if a session is open,
     * else when the connection is back, and again on every new session until acknowledged.
     * Resending a clientMsgId is safe: one still waiting shares the waiting send's result; one
     * already acknowledged is answered by the server with the original SendAck.
     *
     * <p>The future fails with {@link OutboxFullException} at once when the outbox is full, with
     * an {@link ImErrorException} when the server refuses the send (NOT_FRIENDS, ...; UNAVAILABLE
     * and the like only after a few tries), and with the stop cause when the client stops for good
     * first. Fails with {@link IllegalStateException} when the client is not connected or
     * reconnecting, and with {@link IllegalArgumentException} without a clientMsgId or a target.
     */
    public CompletableFuture<SendAck> send(Send send) {
        return sender.send(send);
    }

    /** How many sends wait for their acknowledgement. */
    public int outboxSize() {
        return sender.waiting();
    }

    /**
     * Asks for the messages of a conversation after {@code afterSeq} (exclusive), at most
     * {@code limit} (1..100). Messages in the page not held before also reach
     * {@link Listener#onMessage}. Seqs below the page's {@code first_seq} (a group's history before
     * the user joined) count as held, so {@link #cursors()} moves past them. Needs an open session.
     */
    public CompletableFuture<SyncPage> sync(String conversationId, long afterSeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        if (limit < 1 || limit > MAX_SYNC_PAGE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be 1.." + MAX_SYNC_PAGE));
        }
        return inSession(Frame.newBuilder().setSyncRequest(SyncRequest.newBuilder()
                .setConversationId(conversationId).setAfterSeq(Math.max(0, afterSeq)).setLimit(limit)),
                Frame::getSyncPage, Frame.BodyCase.SYNC_PAGE);
    }

    /**
     * Marks the conversation read up to {@code upToSeq} (the server keeps the highest mark; the
     * other members get a ReadReceipt). Without an open session the mark is kept (the highest per
     * conversation) and sent on the next one.
     */
    public void markRead(String conversationId, long upToSeq) {
        reads.mark(conversationId, upToSeq);
        conversations.read(conversationId, upToSeq);
    }

    /**
     * Marks the conversation read up to {@code upToSeq}; completes when the frame is written.
     *
     * @deprecated use {@link #markRead}, which also keeps the mark across a reconnect
     */
    @Deprecated
    public CompletableFuture<Void> read(String conversationId, long upToSeq) {
        if (connector.session() == null) {
            return CompletableFuture.failedFuture(connector.notConnected());
        }
        markRead(conversationId, upToSeq);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Tells the other members' online devices that this user is typing in the conversation
     * ({@code typing} true) or stopped (false): call it on keystrokes, and with false when the
     * user clears the input or sends. Fire and forget: nothing without an open session, no
     * answer, a refusal unreported. A "typing" goes at most once every 3 s per conversation (the
     * rest are dropped here), a "stopped" always.
     */
    public void typing(String conversationId, boolean typing) {
        Objects.requireNonNull(conversationId, "conversationId");
        Connection c = connector.session();
        if (c != null && typings.send(conversationId, typing, System.nanoTime())) {
            c.channel.writeAndFlush(Frame.newBuilder().setTyping(Typing.newBuilder()
                    .setConversationId(conversationId).setTyping(typing)).build());
        }
    }

    /**
     * The other members' current delivered and read positions in a conversation (they also update
     * {@link #statusOf}). Needs an open session.
     */
    public CompletableFuture<Receipts> receipts(String conversationId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return receipts(GetReceipts.newBuilder().setConversationId(conversationId).build());
    }

    /**
     * {@link #receipts} of a group with who has read one of the user's own messages:
     * {@code Receipts.readers_total} members have, the first of them in {@code readers}. The
     * server refuses (PERMISSION_DENIED) a seq that is not the user's own message.
     */
    public CompletableFuture<Receipts> readers(String conversationId, long seq) {
        Objects.requireNonNull(conversationId, "conversationId");
        return receipts(GetReceipts.newBuilder().setConversationId(conversationId).setReadersOfSeq(seq).build());
    }

    private CompletableFuture<Receipts> receipts(GetReceipts request) {
        return inSession(Frame.newBuilder().setGetReceipts(request), Frame::getReceipts, Frame.BodyCase.RECEIPTS);
    }

    /**
     * A page of the user's conversation list from the server, in the list's order (pinned first,
     * then newest first): the first with an empty {@code pageToken}, the next with the page's
     * {@code next_page_token} (empty on the last page); {@code limit} 1..100. The page's entries
     * are taken into {@link #conversationList()}, which the client keeps current from then on by
     * what it receives (no polling): unread counts go up with other users' messages and to 0 when
     * the user reads on any device, settings follow changes made on other devices. Needs an open
     * session.
     */
    public CompletableFuture<ConversationPage> conversations(String pageToken, int limit) {
        Objects.requireNonNull(pageToken, "pageToken");
        if (limit < 1 || limit > MAX_CONVERSATION_PAGE) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("limit must be 1.." + MAX_CONVERSATION_PAGE));
        }
        return inSession(Frame.newBuilder().setGetConversations(GetConversations.newBuilder()
                .setPageToken(pageToken).setLimit(limit)), Frame::getConversationPage, Frame.BodyCase.CONVERSATION_PAGE);
    }

    /**
     * Every conversation this client knows (from {@link #conversations} pages, and any that
     * received a message since), in the list's order, as it is now.
     */
    public List<ConversationView> conversationList() {
        return conversations.list();
    }

    /** One conversation as this client knows it now; null when it knows nothing of it. */
    public ConversationView conversation(String conversationId) {
        return conversations.get(Objects.requireNonNull(conversationId, "conversationId"));
    }

    /**
     * Changes the user's settings of a conversation: notifications off or on, pinned or not; a
     * null leaves that setting as it is. Completes with the settings as they are now; the user's
     * other devices hear of them too. Fails with UNKNOWN_CONVERSATION for a conversation the user is
     * not in (or without any message yet). Needs an open session.
     */
    public CompletableFuture<ConversationSettings> setConversationSettings(String conversationId,
            Boolean notificationsOff, Boolean pinned) {
        SetConversationSettings.Builder settings = SetConversationSettings.newBuilder()
                .setConversationId(Objects.requireNonNull(conversationId, "conversationId"));
        if (notificationsOff != null) {
            settings.setNotificationsOff(notificationsOff);
        }
        if (pinned != null) {
            settings.setPinned(pinned);
        }
        return inSession(Frame.newBuilder().setSetConversationSettings(settings), Frame::getConversationSettings,
                Frame.BodyCase.CONVERSATION_SETTINGS);
    }

    /**
     * The status of one of the user's own acknowledged messages (its SendAck's conversation and
     * seq), from the receipts seen so far: READ once another member's read position covers it,
     * DELIVERED once another member's delivered position does, else SENT. Positions are kept for
     * a bounded number of conversations; call {@link #receipts} to learn them afresh.
     */
    public MessageStatus statusOf(String conversationId, long seq) {
        return reads.statusOf(conversationId, seq);
    }

    /** Round trip to the server. */
    public CompletableFuture<Pong> ping() {
        return inSession(Frame.newBuilder().setPing(Ping.getDefaultInstance()), Frame::getPong, Frame.BodyCase.PONG);
    }

    /**
     * Hands the open session a fresh access token (tokens expire long before connections do); the
     * token is also used for the next Hello.
     */
    public CompletableFuture<Void> reauthenticate(String newAccessToken) {
        Objects.requireNonNull(newAccessToken, "newAccessToken");
        return inSession(Frame.newBuilder().setReauthenticate(
                Reauthenticate.newBuilder().setAccessToken(newAccessToken)),
                Frame::getReauthenticateOk, Frame.BodyCase.REAUTHENTICATE_OK)
                .thenAccept(ok -> handshake.useToken(newAccessToken));
    }

    /** Per conversation the highest seq held without a gap (what Hello presents). */
    public Map<String, Long> cursors() {
        return held.cursors();
    }

    /** True while a session (Hello answered) is open. */
    public boolean isConnected() {
        return connector.session() != null;
    }

    /** Where the connection stands now. */
    public ConnectionState state() {
        return connector.state();
    }

    /** The answer to the current session's Hello, or null when not connected. */
    public HelloOk helloOk() {
        Connection c = connector.session();
        return c == null ? null : c.helloOk;
    }

    /**
     * Closes the connection and stops reconnecting (the listener hears {@code onDisconnected(null)}
     * when a session had been open), fails the sends still waiting, and releases threads.
     */
    @Override
    public void close() {
        if (!connector.close()) {
            return;
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        // Queued callbacks (the final onDisconnected among them) still run.
        dispatcher.shutdown();
    }

    private <T> CompletableFuture<T> inSession(Frame.Builder frame, Function<Frame, T> answer,
            Frame.BodyCase expected) {
        Connection c = connector.session();
        if (c == null) {
            return CompletableFuture.failedFuture(connector.notConnected());
        }
        return requests.ask(c.channel, frame, answer, expected);
    }

    private void readFromNetwork(boolean on) {
        connector.setAutoRead(on);
    }

    /** Hands each frame from the server to the part that takes it (event loop). */
    private void route(Connection c, Frame frame) {
        long id = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case DELIVER -> deliveries.deliver(c, frame.getDeliver().getMessage());
            case SYNC_PAGE -> {
                SyncPage page = frame.getSyncPage();
                deliveries.hold(page);
                if (id == 0) {
                    deliveries.catchUpPage(c, page);
                } else {
                    requests.answered(id, frame);
                }
            }
            case SEND_ACK -> {
                SendAck ack = frame.getSendAck();
                held.hold(ack.getConversationId(), ack.getSeq());
                gaps.checkLater(c, ack.getConversationId());
                if (!sender.acked(ack)) {
                    requests.answered(id, frame);
                }
            }
            case READ_RECEIPT -> {
                conversations.readReceipt(frame.getReadReceipt());
                reads.readReceipt(frame.getReadReceipt());
            }
            case CONVERSATION_SETTINGS -> {
                conversations.settings(frame.getConversationSettings());
                if (id != 0) {
                    requests.answered(id, frame);
                }
            }
            case PRESENCE -> dispatcher.toListener(l -> l.onPresence(frame.getPresence()));
            case PRESENCE_LIST -> requests.answered(id, frame);
            case MESSAGES_HIDDEN -> {
                if (id == 0) {
                    conversations.hidden(frame.getMessagesHidden());
                    dispatcher.toListener(l -> l.onMessagesHidden(frame.getMessagesHidden()));
                } else {
                    requests.answered(id, frame);
                }
            }
            case CONVERSATION_PAGE -> {
                conversations.page(frame.getConversationPage());
                requests.answered(id, frame);
            }
            case DELIVERY_RECEIPT -> reads.deliveryReceipt(frame.getDeliveryReceipt());
            case TYPING -> dispatcher.toListener(l -> l.onTyping(frame.getTyping()));
            case RECEIPTS -> {
                reads.receipts(frame.getReceipts());
                requests.answered(id, frame);
            }
            case ERROR -> {
                Error error = frame.getError();
                if (id == 0) {
                    // About the whole connection (replaced session, draining node): the server closes next.
                    c.handler.recordCause(new ImErrorException(error.getCode(), error.getMessage()));
                } else if (!sender.refused(c, id, error)) {
                    requests.failed(id, new ImErrorException(error.getCode(), error.getMessage()));
                }
            }
            case PING -> c.channel.writeAndFlush(Frame.newBuilder().setRequestId(id)
                    .setPong(Pong.newBuilder().setServerTimeMs(System.currentTimeMillis())).build());
            case HELLO_OK, PONG, REAUTHENTICATE_OK -> requests.answered(id, frame);
            default -> {
                // Frames a newer server may send that this client does not know: ignored.
            }
        }
    }

    /** Settings of a client; endpoint, accessToken and deviceId are required. */
    public static final class Builder extends ImClientBuilder {

        private Builder() {
        }
    }
}

package im.push.session;

import im.common.access.Permissions;
import im.common.grpc.GrpcErrors;
import im.common.retry.RetryConfig;
import im.common.revocation.SessionRevocations;
import im.common.token.AccessTokenVerifier;
import im.common.token.TokenRejectedException;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationCursor;
import im.protocol.client.DeliverAck;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Hello;
import im.protocol.client.HelloOk;
import im.protocol.client.Pong;
import im.protocol.client.ReadReceipt;
import im.protocol.client.ReauthenticateOk;
import im.protocol.client.Receipts;
import im.protocol.client.SyncPage;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.DevicePresenceRequest;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.HideMessagesRequest;
import im.protocol.router.SetConversationSettingsRequest;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListConversationsResponse;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.SendRequest;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.protocol.router.TypingRequest;
import im.push.PushConfig;
import im.push.codec.ClientErrors;
import im.push.connection.ConnectionCounters;
import im.push.limit.UserLimitsConfig;
import im.push.limit.UserSendRate;
import im.push.presence.NodePresence;
import im.push.retry.DeliveryRetries;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The client protocol, shared by the TCP and the WebSocket listener: Hello opens a session (and
 * starts the catch-up of what the device missed), then Send, SyncRequest, DeliverAck, Read,
 * GetReceipts and Reauthenticate go to the router with the session's token. Sends of a session go
 * several at a time, in arrival order ({@link SendPipeline}); DeliverAcks also settle pending
 * retransmissions and gate the catch-up pages. Typing signals go on within a per-connection
 * limit ({@link TypingGate}).
 *
 * <p>Threads: frames arrive on the channel's event loop, which only checks state and starts work.
 * Token checks and presence updates run on {@link SessionWorkers}; router calls are asynchronous
 * and answer on gRPC threads, which write to the channel (Netty hands the write to the loop).
 */
@Singleton
@ChannelHandler.Sharable
public class ClientFrameHandler extends SimpleChannelInboundHandler<Frame> {

    private static final Logger LOG = Logger.getLogger(ClientFrameHandler.class);
    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("im.push.session");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final PushConfig push;
    private final SessionConfig config;
    private final AccessTokenVerifier verifier;
    private final NodePresence presence;
    private final SessionRegistry sessions;
    private final SessionWorkers workers;
    private final RouterCalls router;
    private final ConnectionCounters counters;
    private final DeliveryRetries retries;
    private final RetryConfig retry;
    private final SessionRevocations revocations;
    private final UserSendRate sendRate;
    private final UserLimitsConfig userLimits;

    public ClientFrameHandler(PushConfig push, SessionConfig config, AccessTokenVerifier verifier,
            NodePresence presence, SessionRegistry sessions, SessionWorkers workers, RouterCalls router,
            ConnectionCounters counters, DeliveryRetries retries, RetryConfig retry, UserSendRate sendRate,
            UserLimitsConfig userLimits, SessionRevocations revocations) {
        this.push = push;
        this.config = config;
        this.verifier = verifier;
        this.presence = presence;
        this.sessions = sessions;
        this.workers = workers;
        this.router = router;
        this.counters = counters;
        this.retries = retries;
        this.retry = retry;
        this.sendRate = sendRate;
        this.userLimits = userLimits;
        this.revocations = revocations;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Connection connection = new Connection();
        ctx.channel().attr(CONNECTION).set(connection);
        connection.helloTimer = ctx.executor().schedule(() -> {
            if (connection.state != Connection.State.OPEN) {
                fail(ctx.channel(), connection, 0, ErrorCode.HELLO_REQUIRED, "no Hello within " + config.helloTimeout());
            }
        }, config.helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Connection connection = ctx.channel().attr(CONNECTION).getAndSet(null);
        if (connection != null) {
            connection.cancelHelloTimer();
            connection.state = Connection.State.CLOSING;
            connection.stopCatchUp();
            Session session = connection.session;
            if (session != null) {
                closeSession(session);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        Connection connection = ctx.channel().attr(CONNECTION).get();
        if (connection == null || connection.state == Connection.State.CLOSING) {
            return;
        }
        long requestId = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case HELLO -> hello(ctx, connection, frame);
            case PING -> ctx.writeAndFlush(Frame.newBuilder().setRequestId(requestId)
                    .setPong(Pong.newBuilder().setServerTimeMs(System.currentTimeMillis())).build());
            case PONG -> {
                // an answer to nothing we asked; harmless
            }
            case BODY_NOT_SET -> fail(ctx.channel(), connection, requestId, ErrorCode.BAD_FRAME, "frame has no body");
            default -> {
                if (connection.state != Connection.State.OPEN) {
                    reply(ctx.channel(), requestId, ErrorCode.HELLO_REQUIRED, "send Hello first");
                    return;
                }
                serve(ctx, connection.session, frame);
            }
        }
    }

    private void serve(ChannelHandlerContext ctx, Session session, Frame frame) {
        long requestId = frame.getRequestId();
        String permission = permissionFor(frame.getBodyCase());
        if (permission != null && !session.may(permission)) {
            if (frame.getBodyCase() != Frame.BodyCase.TYPING || requestId != 0) {
                reply(ctx.channel(), requestId, ErrorCode.PERMISSION_DENIED, "permission " + permission + " required");
            }
            return;
        }
        switch (frame.getBodyCase()) {
            case SEND -> send(session, frame);
            case SYNC_REQUEST -> sync(session, frame);
            case DELIVER_ACK -> ackDelivery(ctx.channel().attr(CONNECTION).get(), session, frame.getDeliverAck());
            case REAUTHENTICATE -> reauthenticate(session, frame);
            case READ -> read(session, frame);
            case GET_RECEIPTS -> receipts(session, frame);
            case GET_CONVERSATIONS -> conversations(session, frame);
            case SET_CONVERSATION_SETTINGS -> conversationSettings(session, frame);
            case HIDE_MESSAGES -> hideMessages(session, frame);
            case GET_PRESENCE -> presenceOf(session, frame);
            case TYPING -> typing(ctx.channel().attr(CONNECTION).get(), session, frame);
            default -> reply(ctx.channel(), requestId, ErrorCode.INVALID_ARGUMENT,
                    "a client does not send " + frame.getBodyCase());
        }
    }

    /**
     * What the session's token must grant for a request (null: nothing beyond the session itself;
     * Reauthenticate is how a session gets a token with other grants).
     */
    private static String permissionFor(Frame.BodyCase request) {
        return switch (request) {
            case SEND, TYPING -> Permissions.MESSAGE_SEND;
            case SYNC_REQUEST, DELIVER_ACK, READ, GET_RECEIPTS, GET_CONVERSATIONS, SET_CONVERSATION_SETTINGS,
                    HIDE_MESSAGES, GET_PRESENCE ->
                    Permissions.MESSAGE_READ;
            default -> null;
        };
    }

    // Hello -----------------------------------------------------------------------------------

    /** One Hello on its way through verification, presence and registration. */
    private record HelloAttempt(Channel channel, Connection connection, long requestId, Hello hello) {

        void fail(ClientFrameHandler handler, ErrorCode code, String message) {
            handler.fail(channel, connection, requestId, code, message);
        }
    }

    private void hello(ChannelHandlerContext ctx, Connection connection, Frame frame) {
        long requestId = frame.getRequestId();
        if (connection.state != Connection.State.NEW) {
            reply(ctx.channel(), requestId, ErrorCode.INVALID_ARGUMENT, "this connection already has a session");
            return;
        }
        Hello hello = frame.getHello();
        if (!DEVICE_ID.matcher(hello.getDeviceId()).matches()) {
            reply(ctx.channel(), requestId, ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 of [A-Za-z0-9._-]");
            return;
        }
        connection.state = Connection.State.HELLO_PENDING;
        HelloAttempt attempt = new HelloAttempt(ctx.channel(), connection, requestId, hello);
        try {
            workers.execute(() -> openSession(attempt));
        } catch (RejectedExecutionException e) {
            attempt.fail(this, ErrorCode.UNAVAILABLE, "node busy, reconnect later");
        }
    }

    /** On a worker: verify, take presence, then finish on the event loop. */
    private void openSession(HelloAttempt attempt) {
        Channel channel = attempt.channel();
        Hello hello = attempt.hello();
        VerifiedUser user;
        try {
            user = verifier.verify(hello.getAccessToken());
        } catch (TokenRejectedException e) {
            channel.eventLoop().execute(() -> attempt.fail(this, e.code(), e.getMessage()));
            return;
        }
        // A session exists to receive and read one's messages.
        if (!user.may(Permissions.MESSAGE_READ)) {
            channel.eventLoop().execute(() -> attempt.fail(this, ErrorCode.PERMISSION_DENIED,
                    "permission " + Permissions.MESSAGE_READ + " required"));
            return;
        }
        long epoch;
        try {
            epoch = presence.connect(user.userId(), hello.getDeviceId());
        } catch (RuntimeException e) {
            LOG.warnf(e, "presence unavailable for user %d", user.userId());
            channel.eventLoop().execute(() -> attempt.fail(this, ErrorCode.UNAVAILABLE, "presence unavailable, retry"));
            return;
        }
        if (tooManyDevices(user.userId(), hello.getDeviceId(), epoch)) {
            channel.eventLoop().execute(() -> attempt.fail(this, ErrorCode.RATE_LIMITED,
                    "at most " + userLimits.devices() + " devices of one user connected at once"));
            return;
        }
        Session session = new Session(channel, user.userId(), hello.getDeviceId(), epoch, hello.getAccessToken());
        session.permissions(user.permissions());
        session.verified(user);
        channel.eventLoop().execute(() -> establish(attempt, session));
    }

    /**
     * Counted after the device's own entry is in, so that of devices connecting at the same time
     * none is let past the limit (all see each other; at worst all are refused). A refused device
     * takes its entry out again.
     */
    private boolean tooManyDevices(long userId, String deviceId, long epoch) {
        int online;
        try {
            online = presence.devicesOnline(userId);
        } catch (RuntimeException e) {
            LOG.debugf("devices of user %d not counted: %s", userId, e.getMessage());
            return false; // presence answered the connect; a count it cannot give does not refuse anyone
        }
        if (online <= userLimits.devices()) {
            return false;
        }
        try {
            presence.disconnect(userId, deviceId, epoch);
        } catch (RuntimeException e) {
            LOG.debugf("refused device %s of user %d stays listed in presence: %s", deviceId,
                    userId, e.getMessage());
        }
        return true;
    }

    private void establish(HelloAttempt attempt, Session session) {
        Channel channel = attempt.channel();
        Connection connection = attempt.connection();
        if (!channel.isActive() || connection.state != Connection.State.HELLO_PENDING) {
            leavePresence(session);
            return;
        }
        SessionRegistry.Registration registration = sessions.register(session);
        switch (registration.outcome()) {
            case FULL -> {
                leavePresence(session);
                attempt.fail(this, ErrorCode.UNAVAILABLE, "node full, reconnect elsewhere");
                return;
            }
            case STALE -> {
                leavePresence(session);
                attempt.fail(this, ErrorCode.SESSION_REPLACED, "a newer session of this device is open");
                return;
            }
            case REGISTERED -> {
                // below
            }
        }
        Session replaced = registration.replaced();
        if (replaced != null) {
            counters.countRejected(ErrorCode.SESSION_REPLACED);
            // Its own close removes nothing: the registry holds the new session and presence the
            // higher epoch, and both removals are conditional on the old session.
            replaced.channel().writeAndFlush(ClientErrors.frame(0, ErrorCode.SESSION_REPLACED,
                    "a newer session of this device took over")).addListener(ChannelFutureListener.CLOSE);
        }
        // A revocation heard between the token check and the registration found no session to
        // close: it is in the list by now, so asking once more after registering misses none.
        if (revocations.isRevoked(session.verifiedUser())) {
            closeSession(session);
            attempt.fail(this, ErrorCode.SESSION_REVOKED, "session revoked: log in again");
            return;
        }
        connection.session = session;
        announcePresence(session, true);
        // Listed after registration: a message stored after this listing reaches the session as a
        // Deliver (held until HelloOk), one stored before it is in HelloOk.behind.
        List<ConversationCursor> cursors = attempt.hello().getCursorsList();
        router.listConversations(session.token(), ListConversationsRequest.newBuilder().addAllCursors(cursors).build())
                .whenComplete((listing, failure) -> channel.eventLoop().execute(
                        () -> greet(attempt, session, listing, failure)));
    }

    /** On the event loop, once the router said what the device is behind in: HelloOk, then catch-up. */
    private void greet(HelloAttempt attempt, Session session, ListConversationsResponse listing, Throwable failure) {
        Channel channel = attempt.channel();
        Connection connection = attempt.connection();
        if (!channel.isActive() || connection.state != Connection.State.HELLO_PENDING || connection.session != session) {
            return; // closed meanwhile: channelInactive let the session go
        }
        if (failure != null) {
            // HelloOk without the listing would tell the device it is up to date
            LOG.debugf("listing conversations for %s failed: %s", session, GrpcErrors.messageOf(failure));
            connection.session = null;
            closeSession(session);
            attempt.fail(this, ErrorCode.UNAVAILABLE, "message store unavailable, reconnect later");
            return;
        }
        connection.cancelHelloTimer();
        connection.state = Connection.State.OPEN;
        session.greet(Frame.newBuilder().setRequestId(attempt.requestId()).setHelloOk(HelloOk.newBuilder()
                .setUserId(session.userId())
                .setSessionEpoch(session.epoch())
                .setServerTimeMs(System.currentTimeMillis())
                .setHeartbeatIntervalMs((int) push.heartbeatInterval().toMillis())
                .setNodeId(push.nodeId())
                .addAllBehind(listing.getBehindList())).build());
        List<ConversationCursor> behind = startingPoints(attempt.hello().getCursorsList(), listing);
        if (behind.isEmpty()) {
            return; // up to date: no paging state to keep
        }
        connection.catchUp = new CatchUp(channel,
                (conversation, after) -> router.sync(session.token(), SyncRequest.newBuilder()
                        .setConversationId(conversation).setAfterSeq(after).build()),
                retry.timeout(), retry.maxAttempts(), behind);
        connection.catchUp.start();
    }

    /** Each behind conversation with the seq the device holds (its cursor, or 0). */
    private static List<ConversationCursor> startingPoints(List<ConversationCursor> cursors,
            ListConversationsResponse listing) {
        Map<String, Long> held = new HashMap<>();
        for (ConversationCursor cursor : cursors) {
            held.merge(cursor.getConversationId(), cursor.getLastSeq(), Math::max);
        }
        List<ConversationCursor> from = new ArrayList<>(listing.getBehindCount());
        for (ConversationCursor behind : listing.getBehindList()) {
            from.add(ConversationCursor.newBuilder().setConversationId(behind.getConversationId())
                    .setLastSeq(held.getOrDefault(behind.getConversationId(), 0L)).build());
        }
        return from;
    }

    /** The session ends here: no more deliveries, retries or sends for it; presence lets it go. */
    private void closeSession(Session session) {
        session.dropSends();
        if (sessions.remove(session) && !session.isReplacedElsewhere()) {
            // only the device's current session owns its pending deliveries: not one replaced by
            // a newer session here (no longer registered) or on another node (which records them now)
            retries.closed(session.device());
        }
        leavePresence(session);
    }

    /**
     * Tells the router a device of the user connected or left, once the registry says so: it
     * decides whether the user's friends hear of it. Advisory: a failure is logged, not retried.
     */
    private void announcePresence(Session session, boolean online) {
        router.devicePresence(DevicePresenceRequest.newBuilder().setUserId(session.userId())
                .setDeviceId(session.deviceId()).setOnline(online).build()).whenComplete((answer, failure) -> {
                    if (failure != null) {
                        LOG.debugf("presence change of %s not told: %s", session, GrpcErrors.messageOf(failure));
                    }
                });
    }

    private void presenceOf(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        router.getPresence(session.token(), frame.getGetPresence()).whenComplete((list, failure) -> {
            session.release();
            if (failure != null) {
                replyFailure(session.channel(), requestId, failure);
            } else {
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId).setPresenceList(list).build());
            }
        });
    }

    private void leavePresence(Session session) {
        Runnable leave = () -> {
            try {
                presence.disconnect(session.userId(), session.deviceId(), session.epoch());
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not remove presence of %s", session);
                return;
            }
            announcePresence(session, false);
        };
        try {
            workers.execute(leave);
        } catch (RejectedExecutionException e) {
            // shutting down or flooded: presence entries of a dead node expire with the node
            LOG.debugf("presence of %s not removed: workers unavailable", session);
        }
    }

    // Requests of an open session ---------------------------------------------------------------

    private void send(Session session, Frame frame) {
        UserSendRate.Verdict rate = sendRate.trySend(session.userId());
        if (!rate.admitted()) {
            counters.countRejected(ErrorCode.RATE_LIMITED);
            session.channel().writeAndFlush(ClientErrors.rateLimited(frame.getRequestId(),
                    "more than " + userLimits.sendsPerWindow() + " messages per " + userLimits.sendWindow().toMillis()
                            + " ms from this user; send again after retry_after_ms",
                    rate.retryAfter()));
            return;
        }
        SendPipeline sends = session.sends(config);
        if (!sends.offer(frame)) {
            reply(session.channel(), frame.getRequestId(), ErrorCode.RATE_LIMITED,
                    "more than " + config.maxQueuedSends() + " sends waiting");
            return;
        }
        submitSends(session, sends);
    }

    /** Hands the session's started sends to the router, in the order they were started. */
    private void submitSends(Session session, SendPipeline sends) {
        if (!sends.claimSubmission()) {
            return; // none to hand over, or the thread handing them over takes these too
        }
        for (SendPipeline.Slot slot; (slot = sends.nextToSubmit()) != null;) {
            startSend(session, sends, slot);
        }
    }

    /** One send to the router; its answer lets the sends behind it start. */
    private void startSend(Session session, SendPipeline sends, SendPipeline.Slot slot) {
        Frame frame = slot.frame();
        long requestId = frame.getRequestId();
        SendRequest request = SendRequest.newBuilder().setDeviceId(session.deviceId()).setSend(frame.getSend()).build();
        router.send(session.token(), session.userId(), request).whenComplete((response, failure) -> {
            if (failure != null) {
                if (GrpcErrors.codeOf(failure) == ErrorCode.OUT_OF_ORDER && sends.parkBehindEarlier(slot)) {
                    return; // the router met it before a send ahead of it: it goes again after them
                }
                // OUT_OF_ORDER tells the device where to resume its numbered sends
                Frame error = ClientErrors.frame(requestId, GrpcErrors.codeOf(failure), GrpcErrors.messageOf(failure));
                long expected = GrpcErrors.expectedClientSeqOf(failure);
                session.channel().writeAndFlush(expected == 0 ? error : error.toBuilder()
                        .setError(error.getError().toBuilder().setExpectedClientSeq(expected)).build());
            } else {
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId)
                        .setSendAck(response.getAck()).build());
            }
            sends.answered(slot);
            if (session.channel().isActive()) {
                submitSends(session, sends);
            } else {
                sends.drop();
            }
        });
    }

    private void sync(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        im.protocol.client.SyncRequest asked = frame.getSyncRequest();
        SyncRequest request = SyncRequest.newBuilder().setConversationId(asked.getConversationId())
                .setAfterSeq(asked.getAfterSeq()).setLimit(asked.getLimit()).build();
        router.sync(session.token(), request).whenComplete((page, failure) -> {
            session.release();
            if (failure != null) {
                replyFailure(session.channel(), requestId, failure);
            } else {
                session.channel().writeAndFlush(syncPage(requestId, page));
            }
        });
    }

    private void ackDelivery(Connection connection, Session session, DeliverAck ack) {
        retries.acknowledged(session.device(), ack.getConversationId(), ack.getSeq());
        if (connection != null) {
            connection.catchUpAcknowledged(ack.getConversationId(), ack.getSeq());
        }
        if (session.startAck(ack.getConversationId(), ack.getSeq())) {
            forwardAck(session, ack.getConversationId(), ack.getSeq());
        }
    }

    /**
     * Moves the device's cursor in the router; acks of the conversation that come meanwhile are
     * merged into one that follows (at most one per conversation and device is in flight).
     */
    private void forwardAck(Session session, String conversationId, long seq) {
        if (!session.tryAcquire(config.maxInFlight())) {
            // an ack is a cursor move: a later one covers it, and an unacked delivery is retried or synced
            session.abandonAck(conversationId);
            LOG.debugf("dropped a delivery ack of %s: too many requests in flight", session);
            return;
        }
        AckDeliveryRequest request = AckDeliveryRequest.newBuilder().setDeviceId(session.deviceId())
                .setConversationId(conversationId).setSeq(seq).build();
        router.ackDelivery(session.token(), request).whenComplete((response, failure) -> {
            session.release();
            if (failure != null) {
                LOG.debugf("delivery ack of %s failed: %s", session, GrpcErrors.messageOf(failure));
            }
            long next = session.finishAck(conversationId);
            if (next >= 0) {
                forwardAck(session, conversationId, next);
            }
        });
    }

    /** Read: moves the read cursor; answered (ReadReceipt of the new position) only when asked. */
    private void read(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        MarkReadRequest request = MarkReadRequest.newBuilder().setDeviceId(session.deviceId())
                .setConversationId(frame.getRead().getConversationId())
                .setUpToSeq(frame.getRead().getUpToSeq()).build();
        router.markRead(session.token(), request).whenComplete((response, failure) -> {
            session.release();
            if (failure != null) {
                replyFailure(session.channel(), requestId, failure);
            } else if (requestId != 0) {
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId)
                        .setReadReceipt(ReadReceipt.newBuilder()
                                .setConversationId(request.getConversationId())
                                .setReaderId(session.userId())
                                .setUpToSeq(response.getLastReadSeq())).build());
            }
        });
    }

    private void receipts(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        GetReceiptsRequest request = GetReceiptsRequest.newBuilder()
                .setConversationId(frame.getGetReceipts().getConversationId())
                .setReadersOfSeq(frame.getGetReceipts().getReadersOfSeq()).build();
        router.getReceipts(session.token(), request).whenComplete((response, failure) -> {
            session.release();
            if (failure != null) {
                replyFailure(session.channel(), requestId, failure);
            } else {
                Receipts receipts = response.getReceipts();
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId)
                        .setReceipts(receipts.getConversationId().isEmpty()
                                ? receipts.toBuilder().setConversationId(request.getConversationId()).build()
                                : receipts).build());
            }
        });
    }

    private void conversations(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        router.pageConversations(session.token(), frame.getGetConversations()).whenComplete((page, failure) -> {
            session.release();
            if (failure != null) {
                replyFailure(session.channel(), requestId, failure);
            } else {
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId).setConversationPage(page).build());
            }
        });
    }

    private void conversationSettings(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        SetConversationSettingsRequest request = SetConversationSettingsRequest.newBuilder()
                .setDeviceId(session.deviceId()).setSettings(frame.getSetConversationSettings()).build();
        router.setConversationSettings(session.token(), request).whenComplete((settings, failure) -> {
            session.release();
            if (failure != null) {
                replyFailure(session.channel(), requestId, failure);
            } else {
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId)
                        .setConversationSettings(settings).build());
            }
        });
    }

    private void hideMessages(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        HideMessagesRequest request = HideMessagesRequest.newBuilder()
                .setDeviceId(session.deviceId()).setHide(frame.getHideMessages()).build();
        router.hideMessages(session.token(), request).whenComplete((hidden, failure) -> {
            session.release();
            if (failure != null) {
                replyFailure(session.channel(), requestId, failure);
            } else {
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId).setMessagesHidden(hidden).build());
            }
        });
    }

    /**
     * Typing: forwarded within the connection's limit ({@link TypingGate}), never answered but for a
     * refusal of a frame with a request_id. A frame over the limit is dropped without a word: it is
     * advisory, and an Error with request_id 0 would tell the device its connection failed.
     */
    private void typing(Connection connection, Session session, Frame frame) {
        if (connection != null) {
            forwardTyping(connection, session, connection.typingGate().offer(frame, System.nanoTime()));
        }
    }

    /** Forwards {@code frame} (none when null); once answered, the next admitted one, on the event loop. */
    private void forwardTyping(Connection connection, Session session, Frame frame) {
        if (frame == null || !session.channel().isActive()) {
            return;
        }
        long requestId = frame.getRequestId();
        TypingRequest request = TypingRequest.newBuilder().setDeviceId(session.deviceId())
                .setTyping(frame.getTyping()).build();
        router.typing(session.token(), request).whenComplete((response, failure) -> {
            if (failure != null && requestId != 0) {
                replyFailure(session.channel(), requestId, failure);
            }
            session.channel().eventLoop().execute(
                    () -> forwardTyping(connection, session, connection.typingGate().answered()));
        });
    }

    private void reauthenticate(Session session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        String token = frame.getReauthenticate().getAccessToken();
        Channel channel = session.channel();
        try {
            workers.execute(() -> {
                try {
                    VerifiedUser user = verifier.verify(token);
                    if (user.userId() != session.userId()) {
                        reply(channel, requestId, ErrorCode.UNAUTHENTICATED, "the token names another user");
                    } else {
                        session.token(token);
                        session.permissions(user.permissions());
                        session.verified(user);
                        channel.writeAndFlush(Frame.newBuilder().setRequestId(requestId)
                                .setReauthenticateOk(ReauthenticateOk.getDefaultInstance()).build());
                    }
                } catch (TokenRejectedException e) {
                    reply(channel, requestId, e.code(), e.getMessage());
                } finally {
                    session.release();
                }
            });
        } catch (RejectedExecutionException e) {
            session.release();
            reply(channel, requestId, ErrorCode.UNAVAILABLE, "node busy, retry");
        }
    }

    private boolean acquire(Session session, long requestId) {
        if (session.tryAcquire(config.maxInFlight())) {
            return true;
        }
        reply(session.channel(), requestId, ErrorCode.RATE_LIMITED,
                "more than " + config.maxInFlight() + " requests in flight");
        return false;
    }

    // Answers ----------------------------------------------------------------------------------

    private static Frame syncPage(long requestId, SyncResponse page) {
        return Frame.newBuilder().setRequestId(requestId).setSyncPage(SyncPage.newBuilder()
                .setConversationId(page.getConversationId())
                .addAllMessages(page.getMessagesList())
                .setHasMore(page.getHasMore())
                .setLastSeq(page.getLastSeq())
                .setFirstSeq(page.getFirstSeq())).build();
    }

    private static void replyFailure(Channel channel, long requestId, Throwable failure) {
        reply(channel, requestId, GrpcErrors.codeOf(failure), GrpcErrors.messageOf(failure));
    }

    private static void reply(Channel channel, long requestId, ErrorCode code, String message) {
        channel.writeAndFlush(ClientErrors.frame(requestId, code, message));
    }

    /** Answers and closes: the connection cannot go on (bad token, replaced, malformed). */
    private void fail(Channel channel, Connection connection, long requestId, ErrorCode code, String message) {
        if (connection.state == Connection.State.CLOSING) {
            return;
        }
        connection.state = Connection.State.CLOSING;
        connection.cancelHelloTimer();
        counters.countRejected(code);
        if (channel.isActive()) {
            channel.writeAndFlush(ClientErrors.frame(requestId, code, message)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

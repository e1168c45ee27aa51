package im.push.session;

import im.common.grpc.GrpcErrors;
import im.common.presence.PresenceRegistry;
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
import im.protocol.client.ReauthenticateOk;
import im.protocol.client.SyncPage;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.SendRequest;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.push.PushConfig;
import im.push.codec.ClientErrors;
import im.push.connection.ConnectionCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The client protocol, shared by the TCP and the WebSocket listener: Hello opens a session, then
 * Send, SyncRequest, DeliverAck and Reauthenticate go to the router with the session's token.
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
    private final PresenceRegistry presence;
    private final SessionRegistry sessions;
    private final SessionWorkers workers;
    private final RouterCalls router;
    private final ConnectionCounters counters;

    public ClientFrameHandler(PushConfig push, SessionConfig config, AccessTokenVerifier verifier,
            PresenceRegistry presence, SessionRegistry sessions, SessionWorkers workers, RouterCalls router,
            ConnectionCounters counters) {
        this.push = push;
        this.config = config;
        this.verifier = verifier;
        this.presence = presence;
        this.sessions = sessions;
        this.workers = workers;
        this.router = router;
        this.counters = counters;
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
            Session session = connection.session;
            if (session != null) {
                sessions.remove(session);
                leavePresence(session);
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
        switch (frame.getBodyCase()) {
            case SEND -> send(session, frame);
            case SYNC_REQUEST -> sync(session, frame);
            case DELIVER_ACK -> ackDelivery(session, frame.getDeliverAck());
            case REAUTHENTICATE -> reauthenticate(session, frame);
            case READ, GET_RECEIPTS -> reply(ctx.channel(), requestId, ErrorCode.INVALID_ARGUMENT,
                    "read receipts are not supported yet");
            default -> reply(ctx.channel(), requestId, ErrorCode.INVALID_ARGUMENT,
                    "a client does not send " + frame.getBodyCase());
        }
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
        long epoch;
        try {
            epoch = presence.connect(user.userId(), hello.getDeviceId(), push.nodeId());
        } catch (RuntimeException e) {
            LOG.warnf(e, "presence unavailable for user %d", user.userId());
            channel.eventLoop().execute(() -> attempt.fail(this, ErrorCode.UNAVAILABLE, "presence unavailable, retry"));
            return;
        }
        Session session = new Session(channel, user.userId(), hello.getDeviceId(), epoch, hello.getAccessToken());
        channel.eventLoop().execute(() -> establish(attempt, session));
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
        connection.cancelHelloTimer();
        connection.session = session;
        connection.state = Connection.State.OPEN;
        channel.writeAndFlush(Frame.newBuilder().setRequestId(attempt.requestId()).setHelloOk(HelloOk.newBuilder()
                .setUserId(session.userId())
                .setSessionEpoch(session.epoch())
                .setServerTimeMs(System.currentTimeMillis())
                .setHeartbeatIntervalMs((int) push.heartbeatInterval().toMillis())
                .setNodeId(push.nodeId())).build());
        catchUp(session, attempt.hello().getCursorsList());
    }

    /**
     * After HelloOk: the first page of every conversation the device is behind in, unsolicited
     * (request_id 0), one conversation at a time so a device with many conversations does not
     * fan out into many concurrent router calls. Deliveries that raced with Hello are covered too:
     * the session was registered before this listing was taken.
     */
    private void catchUp(Session session, List<ConversationCursor> cursors) {
        Map<String, Long> held = new HashMap<>();
        for (ConversationCursor cursor : cursors) {
            held.merge(cursor.getConversationId(), cursor.getLastSeq(), Math::max);
        }
        router.listConversations(session.token(), ListConversationsRequest.newBuilder().addAllCursors(cursors).build())
                .thenCompose(listing -> {
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    for (ConversationCursor behind : listing.getBehindList()) {
                        String conversation = behind.getConversationId();
                        long after = held.getOrDefault(conversation, 0L);
                        chain = chain.thenCompose(ignored -> {
                            if (!session.channel().isActive()) {
                                return CompletableFuture.completedFuture(null);
                            }
                            return router.sync(session.token(), SyncRequest.newBuilder()
                                            .setConversationId(conversation).setAfterSeq(after).build())
                                    .thenAccept(page -> session.channel().writeAndFlush(syncPage(0, page)));
                        });
                    }
                    return chain;
                })
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        // the device still holds its cursors and asks with SyncRequest
                        LOG.debugf("catch-up sync failed for %s: %s", session, GrpcErrors.messageOf(failure));
                    }
                });
    }

    private void leavePresence(Session session) {
        Runnable leave = () -> {
            try {
                presence.disconnect(session.userId(), session.deviceId(), session.epoch());
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not remove presence of %s", session);
            }
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
        long requestId = frame.getRequestId();
        if (!acquire(session, requestId)) {
            return;
        }
        SendRequest request = SendRequest.newBuilder().setDeviceId(session.deviceId()).setSend(frame.getSend()).build();
        router.send(session.token(), request).whenComplete((response, failure) -> {
            session.release();
            if (failure != null) {
                // OUT_OF_ORDER tells the device where to resume its numbered sends
                Frame error = ClientErrors.frame(requestId, GrpcErrors.codeOf(failure), GrpcErrors.messageOf(failure));
                long expected = GrpcErrors.expectedClientSeqOf(failure);
                session.channel().writeAndFlush(expected == 0 ? error : error.toBuilder()
                        .setError(error.getError().toBuilder().setExpectedClientSeq(expected)).build());
            } else {
                session.channel().writeAndFlush(Frame.newBuilder().setRequestId(requestId)
                        .setSendAck(response.getAck()).build());
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

    private void ackDelivery(Session session, DeliverAck ack) {
        if (!session.tryAcquire(config.maxInFlight())) {
            // an ack is a cursor move: a later one covers it, and an unacked delivery is retried or synced
            LOG.debugf("dropped a delivery ack of %s: too many requests in flight", session);
            return;
        }
        AckDeliveryRequest request = AckDeliveryRequest.newBuilder().setDeviceId(session.deviceId())
                .setConversationId(ack.getConversationId()).setSeq(ack.getSeq()).build();
        router.ackDelivery(session.token(), request).whenComplete((response, failure) -> {
            session.release();
            if (failure != null) {
                LOG.debugf("delivery ack of %s failed: %s", session, GrpcErrors.messageOf(failure));
            }
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
                .setLastSeq(page.getLastSeq())).build();
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

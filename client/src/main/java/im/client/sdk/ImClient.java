package im.client.sdk;

import com.google.protobuf.ByteString;
import im.client.sdk.transport.ClientFrameHandler;
import im.client.sdk.transport.ConnectionEvents;
import im.client.sdk.transport.PipelineNames;
import im.client.sdk.transport.TcpClientInitializer;
import im.client.sdk.transport.WebSocketClientInitializer;
import im.protocol.client.ConversationCursor;
import im.protocol.client.DeliverAck;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.Error;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.GetReceipts;
import im.protocol.client.Hello;
import im.protocol.client.HelloOk;
import im.protocol.client.Message;
import im.protocol.client.Ping;
import im.protocol.client.Pong;
import im.protocol.client.Read;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Reauthenticate;
import im.protocol.client.Receipts;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import im.protocol.client.SyncRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

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

        /** Some device of another member holds the conversation up to a seq. */
        default void onDeliveryReceipt(DeliveryReceipt receipt) {
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

    /** A refused send that may pass later (UNAVAILABLE, INTERNAL, RATE_LIMITED) is tried this often. */
    private static final int MAX_SEND_FAILURES = 3;
    /** OUT_OF_ORDER answers one send may get before it fails; the server settles in one or two. */
    private static final int MAX_RENUMBERS = 16;
    /** Token refreshes in a row without a session before the client believes the refresh is no good. */
    private static final int MAX_TOKEN_REFRESHES = 3;
    /** Longest GOING_AWAY delay honoured, so a bad value cannot park the client. */
    private static final long MAX_GOING_AWAY_MILLIS = 60_000;

    private static final Listener NO_LISTENER = new Listener() {
    };

    // Push nodes to try, in turn: a lost connection moves on to the next, so a device whose node died
    // or drains reconnects to another one. Only the event loop reads or moves the index.
    private final List<Transport> transports;
    private int nextTransport;
    private final String deviceId;
    private final Listener listener;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Duration gapGrace;
    private final int maxFrameBytes;
    private final int listenerQueueHigh;
    private final SslContext sslContext;
    private final boolean autoReconnect;
    private final Backoff backoff;
    private final Supplier<CompletableFuture<String>> tokenSupplier;
    private final boolean numberSends;

    private final EventLoopGroup group;
    private final ExecutorService listenerThread;
    private final AtomicInteger listenerQueued = new AtomicInteger();
    private final PendingRequests pending;
    private final HeldMessages held;
    private final Outbox outbox;
    private final PeerPositions peers;
    private final AtomicLong requestIds = new AtomicLong();
    /** Conversations with a sync chase in progress, to the contiguous cursor when it began. */
    private final Map<String, Long> syncing = new ConcurrentHashMap<>();
    private final Set<String> gapChecks = ConcurrentHashMap.newKeySet();
    /** Read marks made while no session was open, sent on the next one. */
    private final Map<String, Long> unsentReads;

    private volatile String accessToken;
    private volatile Connection current;
    private volatile boolean closed;
    /** Guarded by this. */
    private ConnectionState state = ConnectionState.DISCONNECTED;
    /** Guarded by this: a session was open since the last connect() (decides onDisconnected). */
    private boolean sessionSinceConnect;
    // Event loop only:
    private int reconnectAttempt;
    private int tokenRefreshes;
    private ScheduledFuture<?> reconnectTimer;
    private volatile long userId;

    /** One attempt to connect, and the session it carries once Hello succeeded. */
    private final class Connection implements ConnectionEvents {
        final Transport transport;
        final CompletableFuture<HelloOk> hello = new CompletableFuture<>();
        final ClientFrameHandler handler;
        /** The socket from the moment the connect started (to cancel it). */
        volatile Channel transportChannel;
        /** The socket once it is ready for frames. */
        volatile Channel channel;
        volatile HelloOk helloOk;
        volatile boolean closedByUs;
        final AtomicBoolean ended = new AtomicBoolean();
        /** Done once the close was handled and the listener's last callback queued. */
        final CompletableFuture<Void> gone = new CompletableFuture<>();

        Connection(Transport transport) {
            this.transport = transport;
            this.handler = new ClientFrameHandler(this, transport.openOnActive());
        }

        @Override
        public void onOpen(Channel ch) {
            channel = ch;
            request(ch, Frame.newBuilder().setHello(helloMessage()), Frame::getHelloOk, Frame.BodyCase.HELLO_OK)
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            handler.recordCause(unwrap(failure));
                            ch.close();
                            return;
                        }
                        helloOk = ok;
                        startHeartbeat(ch, ok);
                        sessionOpened(this, ok);
                    });
        }

        @Override
        public void onFrame(Frame frame) {
            dispatch(this, frame);
        }

        @Override
        public void onClosed(Throwable cause) {
            ended(this, cause);
        }
    }

    private ImClient(Builder b) {
        this.transports = b.endpoints.stream().map(Transport::of).toList();
        this.accessToken = b.accessToken;
        this.deviceId = b.deviceId;
        this.listener = b.listener;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.gapGrace = b.gapGrace;
        this.maxFrameBytes = b.maxFrameBytes;
        this.listenerQueueHigh = b.listenerQueueHigh;
        this.sslContext = transports.stream().anyMatch(Transport::secure) ? orDefaultSsl(b.sslContext) : null;
        this.autoReconnect = b.autoReconnect;
        this.backoff = new Backoff(b.backoffBase, b.backoffCap,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        this.tokenSupplier = b.tokenSupplier;
        this.numberSends = b.numberSends;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("im-client-io", true));
        this.listenerThread = Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("im-client-listener", true));
        this.pending = new PendingRequests(b.maxPendingRequests, (task, delay) -> {
            ScheduledFuture<?> f = group.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        });
        this.held = new HeldMessages(b.maxHeldAboveGap, b.cursors);
        this.outbox = new Outbox(b.maxOutbox, b.numberSends, b.maxConversations);
        this.peers = new PeerPositions(b.maxConversations);
        this.unsentReads = boundedMap(b.maxConversations);
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
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
            }
            if (state != ConnectionState.DISCONNECTED) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "already connected or connecting; close or wait for the disconnect first"));
            }
            sessionSinceConnect = false;
            moveTo(ConnectionState.CONNECTING);
        }
        CompletableFuture<HelloOk> hello = new CompletableFuture<>();
        group.execute(() -> {
            tokenRefreshes = 0;
            reconnectAttempt = 0;
            open().hello.whenComplete((ok, failure) -> {
                if (failure != null) {
                    hello.completeExceptionally(failure);
                } else {
                    hello.complete(ok);
                }
            });
        });
        return hello;
    }

    /** Starts one connection attempt (event loop). */
    private Connection open() {
        Connection connection = new Connection(transports.get(nextTransport));
        current = connection;
        Transport transport = connection.transport;
        ChannelHandler initializer = transport.websocket()
                ? new WebSocketClientInitializer(transport.uri(), sslContext, maxFrameBytes,
                        connectTimeout.toMillis(), connection.handler)
                : new TcpClientInitializer(transport.host(), transport.port(), sslContext, maxFrameBytes,
                        connection.handler);
        ChannelFuture connecting = new Bootstrap().group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer)
                .connect(transport.host(), transport.port());
        connection.transportChannel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                ended(connection, f.cause());
            }
        });
        return connection;
    }

    /** Hello answered (event loop). */
    private void sessionOpened(Connection c, HelloOk ok) {
        if (c != current || closed || !c.channel.isActive()) {
            c.hello.completeExceptionally(new IOException("connection closed"));
            return;
        }
        userId = ok.getUserId();
        reconnectAttempt = 0;
        tokenRefreshes = 0;
        synchronized (this) {
            sessionSinceConnect = true;
            moveTo(ConnectionState.CONNECTED);
        }
        pump(c);
        flushReads(c);
        c.hello.complete(ok);
    }

    /** A connection attempt or session is over (event loop, or the connect failure's thread). */
    private void ended(Connection c, Throwable cause) {
        if (!c.ended.compareAndSet(false, true)) {
            return;
        }
        if (!group.next().inEventLoop()) {
            group.execute(() -> endedOnLoop(c, cause));
        } else {
            endedOnLoop(c, cause);
        }
    }

    private void endedOnLoop(Connection c, Throwable cause) {
        Throwable failure = cause != null ? cause : new IOException(
                c.closedByUs ? "connection closed" : "connection closed by the server");
        boolean wasCurrent = current == c;
        if (wasCurrent) {
            current = null;
            nextTransport = (nextTransport + 1) % transports.size();
            pending.failAll(failure);
            syncing.clear();
        }
        c.hello.completeExceptionally(failure);
        boolean sessionEver;
        synchronized (this) {
            sessionEver = sessionSinceConnect;
        }
        if (!wasCurrent) {
            // An older attempt, already replaced: nothing it did is still in use.
        } else if (closed || c.closedByUs) {
            stop(null);
        } else if (!autoReconnect || !sessionEver) {
            // connect()'s own attempt failed: its future says why; nothing was open to report.
            stop(failure);
        } else if (isFinal(failure)) {
            stop(failure);
        } else if (failure instanceof ImErrorException e && e.getCode() == ErrorCode.TOKEN_EXPIRED) {
            refreshTokenAndReconnect(failure);
        } else {
            scheduleReconnect(goingAwayDelay(failure));
        }
        c.gone.complete(null);
    }

    private static boolean isFinal(Throwable failure) {
        if (!(failure instanceof ImErrorException e)) {
            return false;
        }
        return switch (e.getCode()) {
            // The device's session lives elsewhere now, or these credentials will not do: coming
            // back would only take the session back or be refused again. A revoked session's
            // token (and its refresh token) will never be accepted again: the user logs in anew.
            case SESSION_REPLACED, SESSION_REVOKED, UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT -> true;
            default -> false;
        };
    }

    /** GOING_AWAY carries the delay (ms) the draining node asks for; 0 otherwise. */
    private static long goingAwayDelay(Throwable failure) {
        if (failure instanceof ImErrorException e && e.getCode() == ErrorCode.GOING_AWAY) {
            try {
                return Math.min(MAX_GOING_AWAY_MILLIS, Math.max(0, Long.parseLong(e.getMessage().trim())));
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }

    /** Event loop. */
    private void scheduleReconnect(long extraDelayMillis) {
        synchronized (this) {
            if (closed || state == ConnectionState.DISCONNECTED) {
                return;
            }
            moveTo(ConnectionState.RECONNECTING);
        }
        long delay = extraDelayMillis + backoff.delayMillis(reconnectAttempt++);
        reconnectTimer = group.schedule(() -> {
            reconnectTimer = null;
            synchronized (this) {
                if (closed || state != ConnectionState.RECONNECTING) {
                    return;
                }
            }
            open();
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Event loop. */
    private void refreshTokenAndReconnect(Throwable expired) {
        if (tokenSupplier == null || ++tokenRefreshes > MAX_TOKEN_REFRESHES) {
            stop(expired);
            return;
        }
        synchronized (this) {
            moveTo(ConnectionState.RECONNECTING);
        }
        CompletableFuture<String> fresh;
        try {
            fresh = Objects.requireNonNull(tokenSupplier.get(), "tokenSupplier returned null");
        } catch (RuntimeException e) {
            fresh = CompletableFuture.failedFuture(e);
        }
        fresh.whenComplete((token, failure) -> group.execute(() -> {
            if (failure != null || token == null || token.isEmpty()) {
                ImErrorException stopped = new ImErrorException(ErrorCode.TOKEN_EXPIRED,
                        "access token expired and no fresh one came: "
                                + (failure == null ? "empty token" : unwrap(failure)));
                stop(stopped);
                return;
            }
            accessToken = token;
            scheduleReconnect(0);
        }));
    }

    /**
     * The client stops for good (event loop): waiting sends fail, the listener hears the state and,
     * when a session had been open, {@code onDisconnected(cause)}.
     */
    private void stop(Throwable cause) {
        if (reconnectTimer != null) {
            reconnectTimer.cancel(false);
            reconnectTimer = null;
        }
        boolean report;
        List<Outbox.Entry> unsent;
        synchronized (this) {
            if (state == ConnectionState.DISCONNECTED) {
                return;
            }
            report = sessionSinceConnect;
            moveTo(ConnectionState.DISCONNECTED);
            unsent = outbox.drain();
        }
        Throwable sendFailure = cause != null ? cause
                : new IOException("client closed before the server acknowledged the send");
        unsent.forEach(e -> e.result.completeExceptionally(sendFailure));
        if (report) {
            toListener(() -> listener.onDisconnected(cause));
        }
    }

    /** Caller holds the lock; reports the change in order with every other callback. */
    private void moveTo(ConnectionState next) {
        if (state == next) {
            return;
        }
        state = next;
        toListener(() -> listener.onConnectionState(next));
    }

    // ---- sending ----------------------------------------------------------------------------

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
        Objects.requireNonNull(send, "send");
        if (send.getClientMsgId().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("clientMsgId is required"));
        }
        if (send.getTargetCase() == Send.TargetCase.TARGET_NOT_SET) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("toUserId or groupId is required"));
        }
        Outbox.Entry entry;
        synchronized (this) {
            if (closed || state == ConnectionState.DISCONNECTED) {
                return CompletableFuture.failedFuture(notConnected());
            }
            try {
                entry = outbox.add(send);
            } catch (OutboxFullException full) {
                return CompletableFuture.failedFuture(full);
            }
        }
        group.execute(() -> pump(session()));
        // A copy: the caller completing its future must not complete the outbox's.
        return entry.result.copy();
    }

    /** Writes what the outbox holds for this session, in order (event loop). */
    private void pump(Connection c) {
        if (c == null) {
            return;
        }
        List<Outbox.Entry> due = outbox.toWrite(c, System.nanoTime(), requestIds::incrementAndGet);
        if (due.isEmpty()) {
            return;
        }
        for (Outbox.Entry e : due) {
            long id = e.requestId;
            c.channel.write(Frame.newBuilder().setRequestId(id).setSend(outbox.frameBody(e)).build());
            group.schedule(() -> sendTimedOut(e, id), requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        c.channel.flush();
    }

    /**
     * No answer to an attempt in time. With reconnecting on, the connection is taken as broken:
     * the next session writes every waiting send again in order. Without, the send fails.
     */
    private void sendTimedOut(Outbox.Entry e, long requestId) {
        if (outbox.current(requestId) != e) {
            return;
        }
        TimeoutException timeout = new TimeoutException(
                "no answer to send " + e.send.getClientMsgId() + " within " + requestTimeout.toMillis() + " ms");
        Connection c = current;
        if (autoReconnect && c != null && e.sentOn == c && c.channel != null) {
            c.handler.recordCause(timeout);
            c.channel.close();
        } else if (!autoReconnect && outbox.remove(e)) {
            e.result.completeExceptionally(timeout);
        }
    }

    /** The server refused the current attempt of a send (event loop). */
    private void sendRefused(Connection c, Outbox.Entry e, Error error) {
        ErrorCode code = error.getCode();
        if (code == ErrorCode.OUT_OF_ORDER && numberSends && error.getExpectedClientSeq() > 0
                && error.getExpectedClientSeq() != e.clientSeq && e.renumbered++ < MAX_RENUMBERS) {
            outbox.renumberFrom(e, error.getExpectedClientSeq());
            pump(c);
            return;
        }
        if (code == ErrorCode.RATE_LIMITED && error.getRetryAfterMs() > 0) {
            // The user's send limit: the server says when this send passes. Not a failure, so a
            // burst (an outbox written after a reconnect) drains at the allowed rate, none lost.
            long delay = error.getRetryAfterMs();
            outbox.deferTo(e, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
            group.schedule(() -> pump(session()), delay, TimeUnit.MILLISECONDS);
            return;
        }
        if ((code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL || code == ErrorCode.RATE_LIMITED)
                && e.failures < MAX_SEND_FAILURES) {
            long delay = backoff.ceilingMillis(e.failures);
            outbox.retryAt(e, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
            group.schedule(() -> pump(session()), delay, TimeUnit.MILLISECONDS);
            return;
        }
        if (outbox.remove(e)) {
            e.result.completeExceptionally(new ImErrorException(code, error.getMessage()));
            // Later sends of this conversation carry numbers after the refused one; the server
            // answers OUT_OF_ORDER and they are renumbered from what it expects.
        }
    }

    /** How many sends wait for their acknowledgement. */
    public int outboxSize() {
        return outbox.size();
    }

    // ---- other requests ---------------------------------------------------------------------

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
        return requestInSession(Frame.newBuilder().setSyncRequest(SyncRequest.newBuilder()
                .setConversationId(conversationId).setAfterSeq(Math.max(0, afterSeq)).setLimit(limit)),
                Frame::getSyncPage, Frame.BodyCase.SYNC_PAGE);
    }

    /**
     * Marks the conversation read up to {@code upToSeq} (the server keeps the highest mark; the
     * other members get a ReadReceipt). Without an open session the mark is kept (the highest per
     * conversation) and sent on the next one.
     */
    public void markRead(String conversationId, long upToSeq) {
        Objects.requireNonNull(conversationId, "conversationId");
        if (upToSeq < 1) {
            return;
        }
        synchronized (unsentReads) {
            unsentReads.merge(conversationId, upToSeq, Math::max);
        }
        group.execute(() -> flushReads(session()));
    }

    /**
     * Marks the conversation read up to {@code upToSeq}; completes when the frame is written.
     *
     * @deprecated use {@link #markRead}, which also keeps the mark across a reconnect
     */
    @Deprecated
    public CompletableFuture<Void> read(String conversationId, long upToSeq) {
        if (session() == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        markRead(conversationId, upToSeq);
        return CompletableFuture.completedFuture(null);
    }

    /** Event loop. */
    private void flushReads(Connection c) {
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
        return requestInSession(Frame.newBuilder().setGetReceipts(request), Frame::getReceipts,
                Frame.BodyCase.RECEIPTS);
    }

    /**
     * The status of one of the user's own acknowledged messages (its SendAck's conversation and
     * seq), from the receipts seen so far: READ once another member's read position covers it,
     * DELIVERED once another member's delivered position does, else SENT. Positions are kept for
     * a bounded number of conversations; call {@link #receipts} to learn them afresh.
     */
    public MessageStatus statusOf(String conversationId, long seq) {
        return peers.statusOf(conversationId, seq);
    }

    /** Round trip to the server. */
    public CompletableFuture<Pong> ping() {
        return requestInSession(Frame.newBuilder().setPing(Ping.getDefaultInstance()), Frame::getPong,
                Frame.BodyCase.PONG);
    }

    /**
     * Hands the open session a fresh access token (tokens expire long before connections do); the
     * token is also used for the next Hello.
     */
    public CompletableFuture<Void> reauthenticate(String newAccessToken) {
        Objects.requireNonNull(newAccessToken, "newAccessToken");
        return requestInSession(Frame.newBuilder().setReauthenticate(
                Reauthenticate.newBuilder().setAccessToken(newAccessToken)),
                Frame::getReauthenticateOk, Frame.BodyCase.REAUTHENTICATE_OK)
                .thenAccept(ok -> accessToken = newAccessToken);
    }

    /** Per conversation the highest seq held without a gap (what Hello presents). */
    public Map<String, Long> cursors() {
        return held.cursors();
    }

    /** True while a session (Hello answered) is open. */
    public boolean isConnected() {
        return session() != null;
    }

    /** Where the connection stands now. */
    public synchronized ConnectionState state() {
        return state;
    }

    /** The answer to the current session's Hello, or null when not connected. */
    public HelloOk helloOk() {
        Connection c = session();
        return c == null ? null : c.helloOk;
    }

    /**
     * Closes the connection and stops reconnecting (the listener hears {@code onDisconnected(null)}
     * when a session had been open), fails the sends still waiting, and releases threads.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Connection c = current;
        if (c != null) {
            c.closedByUs = true;
            Channel ch = c.transportChannel;
            if (ch != null) {
                ch.close();
            }
        }
        if (!group.next().inEventLoop()) {
            try {
                if (c != null) {
                    c.gone.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                group.submit(() -> {
                    if (current == null) {
                        stop(null);
                    }
                }).get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                // Closing anyway; the last callback may be lost, nothing else is.
            }
        } else if (current == null) {
            stop(null);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        // Queued callbacks (the final onDisconnected among them) still run.
        listenerThread.shutdown();
    }

    // ---- requests --------------------------------------------------------------------------

    private <T> CompletableFuture<T> requestInSession(Frame.Builder frame, Function<Frame, T> answer,
            Frame.BodyCase expected) {
        Connection c = session();
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        return request(c.channel, frame, answer, expected);
    }

    private <T> CompletableFuture<T> request(Channel ch, Frame.Builder frame, Function<Frame, T> answer,
            Frame.BodyCase expected) {
        long id = requestIds.incrementAndGet();
        CompletableFuture<Frame> reply = pending.register(id, requestTimeout);
        if (!reply.isDone()) {
            ch.writeAndFlush(frame.setRequestId(id).build()).addListener(f -> {
                if (!f.isSuccess()) {
                    pending.fail(id, f.cause());
                }
            });
        }
        return reply.thenApply(f -> {
            if (f.getBodyCase() != expected) {
                throw new IllegalStateException("expected " + expected + " in answer to request " + id
                        + ", got " + f.getBodyCase());
            }
            return answer.apply(f);
        });
    }

    private Connection session() {
        Connection c = current;
        return c != null && c.helloOk != null && c.channel != null && c.channel.isActive() ? c : null;
    }

    private IllegalStateException notConnected() {
        return new IllegalStateException(closed ? "client is closed"
                : "not connected: call connect() first (or again after the client stopped)");
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private Hello helloMessage() {
        Hello.Builder hello = Hello.newBuilder().setAccessToken(accessToken).setDeviceId(deviceId);
        held.cursors().forEach((id, seq) -> hello.addCursors(
                ConversationCursor.newBuilder().setConversationId(id).setLastSeq(seq)));
        return hello.build();
    }

    private void startHeartbeat(Channel ch, HelloOk ok) {
        int interval = ok.getHeartbeatIntervalMs();
        if (interval <= 0) {
            return;
        }
        // Server closes after about three silent intervals; a server that answers nothing for
        // three intervals (it answers every Ping) is gone, so the client gives up just as soon.
        IdleStateHandler idle = new IdleStateHandler(3L * interval, interval, 0, TimeUnit.MILLISECONDS);
        if (ch.pipeline().get(PipelineNames.TLS) != null) {
            ch.pipeline().addAfter(PipelineNames.TLS, PipelineNames.IDLE, idle);
        } else {
            ch.pipeline().addFirst(PipelineNames.IDLE, idle);
        }
    }

    // ---- incoming frames (on the event loop) -------------------------------------------------

    private void dispatch(Connection c, Frame frame) {
        long id = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case DELIVER -> onDeliver(c, frame.getDeliver().getMessage());
            case SYNC_PAGE -> {
                SyncPage page = frame.getSyncPage();
                holdPage(page);
                if (id == 0) {
                    catchUpPage(c, page);
                } else {
                    pending.complete(id, frame);
                }
            }
            case SEND_ACK -> {
                SendAck ack = frame.getSendAck();
                held.hold(ack.getConversationId(), ack.getSeq());
                checkGapLater(c, ack.getConversationId());
                Outbox.Entry e = outbox.acked(ack);
                if (e != null) {
                    e.result.complete(ack);
                } else {
                    pending.complete(id, frame);
                }
            }
            case READ_RECEIPT -> {
                ReadReceipt receipt = frame.getReadReceipt();
                if (receipt.getReaderId() != userId) {
                    peers.read(receipt.getConversationId(), receipt.getUpToSeq());
                }
                toListener(() -> listener.onReadReceipt(receipt));
            }
            case DELIVERY_RECEIPT -> {
                DeliveryReceipt receipt = frame.getDeliveryReceipt();
                if (receipt.getRecipientId() != userId) {
                    peers.delivered(receipt.getConversationId(), receipt.getUpToSeq());
                }
                toListener(() -> listener.onDeliveryReceipt(receipt));
            }
            case RECEIPTS -> {
                Receipts receipts = frame.getReceipts();
                receipts.getDeliveredList().stream().filter(r -> r.getRecipientId() != userId)
                        .forEach(r -> peers.delivered(receipts.getConversationId(), r.getUpToSeq()));
                receipts.getReadList().stream().filter(r -> r.getReaderId() != userId)
                        .forEach(r -> peers.read(receipts.getConversationId(), r.getUpToSeq()));
                pending.complete(id, frame);
            }
            case ERROR -> {
                Error error = frame.getError();
                Outbox.Entry send = id == 0 ? null : outbox.current(id);
                if (send != null) {
                    sendRefused(c, send, error);
                } else if (id != 0) {
                    pending.fail(id, new ImErrorException(error.getCode(), error.getMessage()));
                } else {
                    // About the whole connection (replaced session, draining node): the server closes next.
                    c.handler.recordCause(new ImErrorException(error.getCode(), error.getMessage()));
                }
            }
            case PING -> c.channel.writeAndFlush(Frame.newBuilder().setRequestId(id)
                    .setPong(Pong.newBuilder().setServerTimeMs(System.currentTimeMillis())).build());
            case HELLO_OK, PONG, REAUTHENTICATE_OK -> pending.complete(id, frame);
            default -> {
                // Frames a newer server may send that this client does not know: ignored.
            }
        }
    }

    private void onDeliver(Connection c, Message m) {
        DeliverAck ack = DeliverAck.newBuilder().setConversationId(m.getConversationId())
                .setSeq(m.getSeq()).setMsgId(m.getMsgId()).build();
        switch (held.hold(m.getConversationId(), m.getSeq())) {
            case NEW -> {
                if (completesOwnSend(m, m.getConversationId())) {
                    c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
                } else {
                    toListener(() -> {
                        listener.onMessage(m);
                        c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
                    });
                }
            }
            case DUPLICATE -> c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
            default -> {
                // NO_ROOM / INVALID: not taken and not acked; sync brings it once the gap is filled.
            }
        }
        checkGapLater(c, m.getConversationId());
    }

    private void holdPage(SyncPage page) {
        // A group member reads from its joining: what lies below is none of this device's to wait for.
        held.readableFrom(page.getConversationId(), page.getFirstSeq());
        for (Message m : page.getMessagesList()) {
            String conversation = conversationOf(page, m);
            if (held.hold(conversation, m.getSeq()) == HeldMessages.Outcome.NEW
                    && !completesOwnSend(m, conversation)) {
                toListener(() -> listener.onMessage(m));
            }
        }
    }

    /**
     * A message this device sent that reaches it stored before its SendAck did (the ack was lost,
     * or a page or retransmission overtook it): it is that ack. The application sees the send
     * complete and is not shown the message a second time. A message of this device that the
     * outbox no longer holds (history from an earlier run) is shown as usual.
     */
    private boolean completesOwnSend(Message m, String conversation) {
        if (m.getSenderId() != userId || !m.getSenderDeviceId().equals(deviceId)) {
            return false;
        }
        SendAck ack = SendAck.newBuilder().setClientMsgId(m.getClientMsgId()).setMsgId(m.getMsgId())
                .setConversationId(conversation).setSeq(m.getSeq()).setCreatedAtMs(m.getCreatedAtMs()).build();
        Outbox.Entry e = outbox.acked(ack);
        if (e == null) {
            return false;
        }
        e.result.complete(ack);
        return true;
    }

    private static String conversationOf(SyncPage page, Message m) {
        return m.getConversationId().isEmpty() ? page.getConversationId() : m.getConversationId();
    }

    /**
     * A page the server sent on its own after Hello. It sends the next one when this one is
     * acknowledged, so the ack (its last seq) goes once the listener has had the messages; a page
     * the client could not take whole is not acknowledged and comes again.
     */
    private void catchUpPage(Connection c, SyncPage page) {
        String conversation = page.getConversationId();
        if (page.getMessagesCount() > 0) {
            Message last = page.getMessages(page.getMessagesCount() - 1);
            boolean all = page.getMessagesList().stream()
                    .allMatch(m -> held.isHeld(conversationOf(page, m), m.getSeq()));
            if (all) {
                DeliverAck ack = DeliverAck.newBuilder().setConversationId(conversation)
                        .setSeq(last.getSeq()).setMsgId(last.getMsgId()).build();
                toListener(() -> {
                    Channel ch = c.channel;
                    if (ch != null && ch.isActive()) {
                        ch.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
                    }
                });
            }
        }
        checkGapLater(c, conversation);
    }

    /** After a page the client asked for to fill a gap: ask for the next one, or finish. */
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
            toListener(() -> {
                Channel ch = c.channel;
                if (ch != null && ch.isActive()) {
                    ch.writeAndFlush(Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                            .setConversationId(conversation).setSeq(contiguous)).build());
                }
            });
            // Re-check only when this chase made progress, so a gap the server cannot fill does
            // not turn into a loop of empty syncs.
            checkGapLater(c, conversation);
        }
    }

    private void chase(Connection c, String conversation, long afterSeq) {
        if (c != current || c.channel == null) {
            syncing.remove(conversation);
            return;
        }
        request(c.channel, Frame.newBuilder().setSyncRequest(SyncRequest.newBuilder()
                .setConversationId(conversation).setAfterSeq(afterSeq).setLimit(MAX_SYNC_PAGE)),
                Frame::getSyncPage, Frame.BodyCase.SYNC_PAGE)
                .whenComplete((page, failure) -> {
                    if (failure != null) {
                        syncing.remove(conversation);
                    } else {
                        followPage(c, page);
                    }
                });
    }

    /**
     * A seq gap may be a push still on its way; after a short grace, a gap that is still there is
     * filled by syncing from the contiguous cursor.
     */
    private void checkGapLater(Connection c, String conversation) {
        if (!held.hasGap(conversation) || !gapChecks.add(conversation)) {
            return;
        }
        group.schedule(() -> {
            gapChecks.remove(conversation);
            if (held.hasGap(conversation) && c == current
                    && syncing.putIfAbsent(conversation, held.contiguous(conversation)) == null) {
                chase(c, conversation, held.contiguous(conversation));
            }
        }, gapGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- listener thread ---------------------------------------------------------------------

    /**
     * Runs a callback on the listener thread. When the application falls behind, reading from the
     * network pauses (TCP pushes back on the server) until the backlog halves.
     */
    private void toListener(Runnable callback) {
        int queued = listenerQueued.incrementAndGet();
        if (queued == listenerQueueHigh) {
            setAutoRead(false);
        }
        try {
            listenerThread.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    // The application's bug must not stop later callbacks; it has no other channel here.
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                } finally {
                    if (listenerQueued.decrementAndGet() == listenerQueueHigh / 2) {
                        setAutoRead(true);
                    }
                }
            });
        } catch (RejectedExecutionException closedAlready) {
            listenerQueued.decrementAndGet();
        }
    }

    private void setAutoRead(boolean on) {
        Connection c = current;
        if (c != null && c.channel != null) {
            c.channel.config().setAutoRead(on);
        }
    }

    private static <V> Map<String, V> boundedMap(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    private static SslContext orDefaultSsl(SslContext given) {
        if (given != null) {
            return given;
        }
        return ServerTrust.systemDefault().nettyContext();
    }

    /** Where to connect and how, from the endpoint URI. */
    private record Transport(URI uri, String host, int port, boolean websocket, boolean secure) {

        static Transport of(URI endpoint) {
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            String host = endpoint.getHost();
            if (host == null) {
                throw new IllegalArgumentException("endpoint needs a host: " + endpoint);
            }
            return switch (scheme) {
                case "tcp" -> new Transport(endpoint, host, portOr(endpoint, 7000), false, false);
                case "tls" -> new Transport(endpoint, host, portOr(endpoint, 7000), false, true);
                case "ws" -> new Transport(endpoint, host, portOr(endpoint, 80), true, false);
                case "wss" -> new Transport(endpoint, host, portOr(endpoint, 443), true, true);
                default -> throw new IllegalArgumentException(
                        "endpoint scheme must be tcp, tls, ws or wss: " + endpoint);
            };
        }

        private static int portOr(URI uri, int fallback) {
            return uri.getPort() > 0 ? uri.getPort() : fallback;
        }

        boolean openOnActive() {
            return !websocket;
        }
    }

    /** Settings of a client; endpoint, accessToken and deviceId are required. */
    public static final class Builder {
        private List<URI> endpoints = List.of();
        private String accessToken;
        private String deviceId;
        private Listener listener = NO_LISTENER;
        // Router commits before it answers; ten seconds covers a slow disk and a retry behind it.
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        // Long enough for a push that overtook its predecessor to be followed by it, short enough
        // that a lost push is fetched before a person notices.
        private Duration gapGrace = Duration.ofMillis(500);
        // The server's own limit is about this size; 1 MiB holds the largest body (16 KiB) with room.
        private int maxFrameBytes = 1024 * 1024;
        private int maxPendingRequests = 10_000;
        // Messages held above a gap per conversation: a few pages' worth of pushes racing a sync.
        private int maxHeldAboveGap = 10_000;
        private int listenerQueueHigh = 10_000;
        private Map<String, Long> cursors = Map.of();
        private SslContext sslContext;
        private boolean autoReconnect = true;
        // The first retry comes quickly (a dropped Wi-Fi, a node restart); a server that stays away
        // is asked at most every ten seconds, and full jitter spreads a crowd that lost it together.
        private Duration backoffBase = Duration.ofMillis(200);
        private Duration backoffCap = Duration.ofSeconds(10);
        private Supplier<CompletableFuture<String>> tokenSupplier;
        private boolean numberSends = true;
        // A person types far fewer than this while offline; a program sending faster than the
        // server acknowledges is told at once instead of filling memory.
        private int maxOutbox = 1_000;
        // Conversations whose numbering, receipt positions and unsent read marks are remembered.
        private int maxConversations = 10_000;

        private Builder() {
        }

        /** {@code tcp://host:7000}, {@code ws://host:7001/ws}, or {@code tls://} / {@code wss://}. */
        public Builder endpoint(URI endpoint) {
            return endpoints(List.of(Objects.requireNonNull(endpoint, "endpoint")));
        }

        /**
         * Several push nodes of one system, tried in turn: the first connects first, and every lost
         * connection moves on to the next (a node that died or drains sends its devices elsewhere).
         */
        public Builder endpoints(List<URI> endpoints) {
            this.endpoints = List.copyOf(endpoints);
            return this;
        }

        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        /** This device's stable id (1..64 of {@code [A-Za-z0-9._-]}). */
        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a seq gap may stay before the client syncs the missing range. */
        public Builder gapGrace(Duration gapGrace) {
            this.gapGrace = Objects.requireNonNull(gapGrace, "gapGrace");
            return this;
        }

        /** Largest frame accepted from the server; a bigger one closes the connection. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = atLeastOne(maxFrameBytes, "maxFrameBytes");
            return this;
        }

        public Builder maxPendingRequests(int maxPendingRequests) {
            this.maxPendingRequests = atLeastOne(maxPendingRequests, "maxPendingRequests");
            return this;
        }

        public Builder maxHeldAboveGap(int maxHeldAboveGap) {
            this.maxHeldAboveGap = atLeastOne(maxHeldAboveGap, "maxHeldAboveGap");
            return this;
        }

        /** Listener callbacks queued before the client stops reading from the network. */
        public Builder listenerQueueHigh(int listenerQueueHigh) {
            this.listenerQueueHigh = Math.max(2, listenerQueueHigh);
            return this;
        }

        /** What this device already holds (e.g. another client's {@link ImClient#cursors()}). */
        public Builder cursors(Map<String, Long> cursors) {
            this.cursors = new HashMap<>(Objects.requireNonNull(cursors, "cursors"));
            return this;
        }

        /** TLS settings for {@code tls://} and {@code wss://} (default: the JDK's trusted roots). */
        public Builder sslContext(SslContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /**
         * Which servers {@code tls://} and {@code wss://} believe: a CA of your own, or one pinned
         * certificate (see {@link ServerTrust}); default the JDK's trusted roots.
         */
        public Builder trust(ServerTrust trust) {
            this.sslContext = Objects.requireNonNull(trust, "trust").nettyContext();
            return this;
        }

        /**
         * Whether a lost session is re-established automatically (default true). Off: a lost
         * connection stops the client ({@link Listener#onDisconnected} with the cause) and waiting
         * sends fail.
         */
        public Builder autoReconnect(boolean autoReconnect) {
            this.autoReconnect = autoReconnect;
            return this;
        }

        /**
         * Reconnect waits: attempt n waits a random time in [0, min(cap, base * 2^n)] (default
         * 200 ms .. 10 s).
         */
        public Builder reconnectBackoff(Duration base, Duration cap) {
            this.backoffBase = positive(base, "base");
            this.backoffCap = positive(cap, "cap");
            if (cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("cap must not be below base");
            }
            return this;
        }

        /**
         * Where a fresh access token comes from when the server calls the current one expired
         * (TOKEN_EXPIRED) while reconnecting. Without one, an expired token stops the client.
         */
        public Builder tokenSupplier(Supplier<CompletableFuture<String>> tokenSupplier) {
            this.tokenSupplier = tokenSupplier;
            return this;
        }

        /**
         * Whether sends carry this device's per-conversation number (clientSeq 1, 2, 3, ...) so
         * the server stores them in the order made (default true). Off: clientSeq is sent as the
         * given Send carries it (0: no order check).
         */
        public Builder numberSends(boolean numberSends) {
            this.numberSends = numberSends;
            return this;
        }

        /** Most sends waiting for their acknowledgement; a send beyond fails with {@link OutboxFullException}. */
        public Builder maxOutbox(int maxOutbox) {
            this.maxOutbox = atLeastOne(maxOutbox, "maxOutbox");
            return this;
        }

        /** Most conversations whose send numbering, receipt positions and unsent read marks are kept. */
        public Builder maxConversations(int maxConversations) {
            this.maxConversations = atLeastOne(maxConversations, "maxConversations");
            return this;
        }

        public ImClient build() {
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("an endpoint is required");
            }
            if (accessToken == null || accessToken.isEmpty()) {
                throw new IllegalArgumentException("accessToken is required");
            }
            if (deviceId == null || !deviceId.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("deviceId must be 1..64 of [A-Za-z0-9._-]");
            }
            return new ImClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }

        private static int atLeastOne(int n, String name) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return n;
        }
    }
}

package im.client.sdk;

import com.google.protobuf.ByteString;
import im.client.sdk.transport.ClientFrameHandler;
import im.client.sdk.transport.ConnectionEvents;
import im.client.sdk.transport.PipelineNames;
import im.client.sdk.transport.TcpClientInitializer;
import im.client.sdk.transport.WebSocketClientInitializer;
import im.protocol.client.ConversationCursor;
import im.protocol.client.DeliverAck;
import im.protocol.client.Error;
import im.protocol.client.Frame;
import im.protocol.client.Hello;
import im.protocol.client.HelloOk;
import im.protocol.client.Message;
import im.protocol.client.Ping;
import im.protocol.client.Pong;
import im.protocol.client.Read;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Reauthenticate;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import im.protocol.client.SyncRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A device's connection to push, over TCP ({@code tcp://host:7000}, {@code tls://}) or WebSocket
 * ({@code ws://host:7001/ws}, {@code wss://}).
 *
 * <p>What the caller can rely on:
 * <ul>
 *   <li>{@link Listener#onMessage} is called exactly once for every message this client comes to
 *       hold, whether it arrived as a push, in a page the server sent after Hello, or in a page the
 *       caller asked for with {@link #sync}; messages this client sent itself are reported by their
 *       {@link SendAck} instead. Arrival order may differ from seq order when a push overtakes a
 *       sync page: order by {@link Message#getSeq()}.</li>
 *   <li>A pushed message is acknowledged to the server only after {@code onMessage} returned.</li>
 *   <li>Listener methods run on one client thread, in arrival order, never on the network thread,
 *       so they may call back into the client (even block on its futures).</li>
 *   <li>{@link #cursors()} is what a reconnecting device should present: per conversation the
 *       highest seq held without a gap. A gap is filled by asking the server for the missing range.</li>
 *   <li>Every method may be called from any thread.</li>
 * </ul>
 */
public final class ImClient implements AutoCloseable {

    /** What the client reports. Every method defaults to doing nothing. */
    public interface Listener {

        /** A message for this device (another user's, or the user's own from another device). */
        default void onMessage(Message message) {
        }

        default void onReadReceipt(ReadReceipt receipt) {
        }

        /**
         * The connection is gone. {@code cause} is null when {@link #close()} closed it; otherwise
         * why (an {@link ImErrorException} such as SESSION_REPLACED or GOING_AWAY when the server
         * said so). Called only for connections that had completed Hello; {@link #connect()} fails
         * its future for the others.
         */
        default void onDisconnected(Throwable cause) {
        }
    }

    /** The server's page limit; the default sync page size. */
    public static final int MAX_SYNC_PAGE = 100;

    private static final Listener NO_LISTENER = new Listener() {
    };

    private final Transport transport;
    private final String deviceId;
    private final Listener listener;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Duration gapGrace;
    private final int maxFrameBytes;
    private final int listenerQueueHigh;
    private final SslContext sslContext;

    private final EventLoopGroup group;
    private final ExecutorService listenerThread;
    private final AtomicInteger listenerQueued = new AtomicInteger();
    private final PendingRequests pending;
    private final HeldMessages held;
    private final AtomicLong requestIds = new AtomicLong();
    /** Conversations with a sync chase in progress, to the contiguous cursor when it began. */
    private final Map<String, Long> syncing = new ConcurrentHashMap<>();
    private final Set<String> gapChecks = ConcurrentHashMap.newKeySet();

    private volatile String accessToken;
    private volatile Connection current;
    private volatile boolean closed;

    /** One attempt to connect, and the session it carries once Hello succeeded. */
    private final class Connection implements ConnectionEvents {
        final CompletableFuture<HelloOk> hello = new CompletableFuture<>();
        final ClientFrameHandler handler = new ClientFrameHandler(this, transport.openOnActive());
        volatile Channel channel;
        volatile HelloOk helloOk;
        volatile boolean closedByUs;
        /** Done once the close was handled and the listener's last callback queued. */
        final CompletableFuture<Void> gone = new CompletableFuture<>();

        @Override
        public void onOpen(Channel ch) {
            channel = ch;
            request(ch, Frame.newBuilder().setHello(helloMessage()), Frame::getHelloOk, Frame.BodyCase.HELLO_OK)
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            hello.completeExceptionally(failure);
                            ch.close();
                            return;
                        }
                        helloOk = ok;
                        startHeartbeat(ch, ok);
                        hello.complete(ok);
                    });
        }

        @Override
        public void onFrame(Frame frame) {
            dispatch(this, frame);
        }

        @Override
        public void onClosed(Throwable cause) {
            Throwable failure = cause != null ? cause : new IOException(
                    closedByUs ? "connection closed" : "connection closed by the server");
            pending.failAll(failure);
            hello.completeExceptionally(failure);
            if (current == this) {
                current = null;
            }
            syncing.clear();
            if (helloOk != null) {
                Throwable reported = closedByUs ? null : failure;
                toListener(() -> listener.onDisconnected(reported));
            }
            gone.complete(null);
        }
    }

    private ImClient(Builder b) {
        this.transport = Transport.of(b.endpoint);
        this.accessToken = b.accessToken;
        this.deviceId = b.deviceId;
        this.listener = b.listener;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.gapGrace = b.gapGrace;
        this.maxFrameBytes = b.maxFrameBytes;
        this.listenerQueueHigh = b.listenerQueueHigh;
        this.sslContext = transport.secure() ? orDefaultSsl(b.sslContext) : null;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("im-client-io", true));
        this.listenerThread = Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("im-client-listener", true));
        this.pending = new PendingRequests(b.maxPendingRequests, (task, delay) -> {
            ScheduledFuture<?> f = group.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        });
        this.held = new HeldMessages(b.maxHeldAboveGap, b.cursors);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the connection and says Hello with {@link #cursors()}. The server then sends pages for
     * every conversation that is behind; they reach {@link Listener#onMessage}. May be called again
     * after a disconnect to resume with the cursors held so far.
     */
    public CompletableFuture<HelloOk> connect() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
        }
        Connection connection = new Connection();
        synchronized (this) {
            Connection existing = current;
            if (existing != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "already connected or connecting; close or wait for the disconnect first"));
            }
            current = connection;
        }
        ChannelHandler initializer = transport.websocket()
                ? new WebSocketClientInitializer(transport.uri(), sslContext, maxFrameBytes,
                        connectTimeout.toMillis(), connection.handler)
                : new TcpClientInitializer(transport.host(), transport.port(), sslContext, maxFrameBytes,
                        connection.handler);
        new Bootstrap().group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer)
                .connect(transport.host(), transport.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        connection.hello.completeExceptionally(f.cause());
                        synchronized (this) {
                            if (current == connection) {
                                current = null;
                            }
                        }
                    }
                });
        return connection.hello;
    }

    /** Sends {@code body} to a user as a new message (a fresh clientMsgId). */
    public CompletableFuture<SendAck> send(long toUserId, byte[] body) {
        return send(Send.newBuilder()
                .setClientMsgId(UUID.randomUUID().toString())
                .setToUserId(toUserId)
                .setBody(ByteString.copyFrom(body))
                .build());
    }

    /**
     * Sends exactly this {@link Send}. Resending one whose answer never came, with the same
     * clientMsgId, is safe: the server answers the original SendAck and stores nothing new.
     */
    public CompletableFuture<SendAck> send(Send send) {
        Objects.requireNonNull(send, "send");
        return requestInSession(Frame.newBuilder().setSend(send), Frame::getSendAck, Frame.BodyCase.SEND_ACK);
    }

    /**
     * Asks for the messages of a conversation after {@code afterSeq} (exclusive), at most
     * {@code limit} (1..100). Messages in the page not held before also reach
     * {@link Listener#onMessage}.
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

    /** Marks the conversation read up to {@code upToSeq}; completes when the frame is written. */
    public CompletableFuture<Void> read(String conversationId, long upToSeq) {
        Connection c = session();
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        c.channel.writeAndFlush(Frame.newBuilder().setRead(Read.newBuilder()
                .setConversationId(conversationId).setUpToSeq(upToSeq)).build())
                .addListener(f -> {
                    if (f.isSuccess()) {
                        written.complete(null);
                    } else {
                        written.completeExceptionally(f.cause());
                    }
                });
        return written;
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

    /** The answer to the current session's Hello, or null when not connected. */
    public HelloOk helloOk() {
        Connection c = session();
        return c == null ? null : c.helloOk;
    }

    /** Closes the connection (the listener hears {@code onDisconnected(null)}) and releases threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = current;
        if (c != null) {
            c.closedByUs = true;
            Channel ch = c.channel;
            if (ch != null) {
                ch.close();
                if (!ch.eventLoop().inEventLoop()) {
                    try {
                        c.gone.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        // Closing anyway; the callback may be lost, nothing else is.
                    }
                }
            } else {
                c.hello.completeExceptionally(new IOException("client closed"));
            }
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

    private static IllegalStateException notConnected() {
        return new IllegalStateException("not connected: call connect() first");
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
                    followPage(c, page);
                } else {
                    pending.complete(id, frame);
                }
            }
            case SEND_ACK -> {
                SendAck ack = frame.getSendAck();
                held.hold(ack.getConversationId(), ack.getSeq());
                checkGapLater(c, ack.getConversationId());
                pending.complete(id, frame);
            }
            case READ_RECEIPT -> {
                ReadReceipt receipt = frame.getReadReceipt();
                toListener(() -> listener.onReadReceipt(receipt));
            }
            case ERROR -> {
                Error error = frame.getError();
                ImErrorException failure = new ImErrorException(error.getCode(), error.getMessage());
                if (id != 0) {
                    pending.fail(id, failure);
                } else {
                    // About the whole connection (replaced session, draining node): the server closes next.
                    c.handler.recordCause(failure);
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
            case NEW -> toListener(() -> {
                listener.onMessage(m);
                c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
            });
            case DUPLICATE -> c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
            default -> {
                // NO_ROOM / INVALID: not taken and not acked; sync brings it once the gap is filled.
            }
        }
        checkGapLater(c, m.getConversationId());
    }

    private void holdPage(SyncPage page) {
        for (Message m : page.getMessagesList()) {
            if (held.hold(m.getConversationId().isEmpty() ? page.getConversationId() : m.getConversationId(),
                    m.getSeq()) == HeldMessages.Outcome.NEW) {
                toListener(() -> listener.onMessage(m));
            }
        }
    }

    /** After a page the server pushed or the client chased: ask for the next one, or finish. */
    private void followPage(Connection c, SyncPage page) {
        String conversation = page.getConversationId();
        syncing.putIfAbsent(conversation, held.contiguous(conversation));
        if (page.getHasMore() && page.getMessagesCount() > 0) {
            long after = page.getMessages(page.getMessagesCount() - 1).getSeq();
            chase(c, conversation, after);
            return;
        }
        Long startedAt = syncing.remove(conversation);
        // Re-check only when this chase made progress, so a gap the server cannot fill does not
        // turn into a loop of empty syncs.
        if (startedAt != null && held.contiguous(conversation) > startedAt) {
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

    private static SslContext orDefaultSsl(SslContext given) {
        if (given != null) {
            return given;
        }
        try {
            return SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS available", e);
        }
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
        private URI endpoint;
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

        private Builder() {
        }

        /** {@code tcp://host:7000}, {@code ws://host:7001/ws}, or {@code tls://} / {@code wss://}. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
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

        public ImClient build() {
            Objects.requireNonNull(endpoint, "endpoint");
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

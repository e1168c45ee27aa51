package im.client.sdk;

import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.HelloOk;
import im.protocol.client.Send;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps the client connected: opens a connection to one push node after the other, says Hello,
 * and once a session was open re-establishes a lost one with jittered exponential backoff
 * (renewing an expired token first) until the client is closed or a loss is final. Owns the
 * {@link ConnectionState} and reports each change to the listener, in order.
 *
 * <p>The state, {@code sessionSinceConnect} and admission to the outbox are guarded by this
 * object's monitor, so no send enters the outbox after {@link #stop} emptied it. Everything else
 * runs on the event loop unless a method says otherwise.
 */
final class Connector {

    /** Longest GOING_AWAY delay honoured, so a bad value cannot park the client. */
    private static final long MAX_GOING_AWAY_MILLIS = 60_000;

    /** What the rest of the client does as connections come and go; all on the event loop. */
    interface Events {

        /** Hello was answered: the session is open. */
        void sessionOpened(Connection c);

        void frame(Connection c, Frame frame);

        /** The current connection is gone, with {@code failure}; a new one may follow. */
        void lost(Throwable failure);
    }

    // Push nodes to try, in turn: a lost connection moves on to the next, so a device whose node died
    // or drains reconnects to another one. Only the event loop reads or moves the index.
    private final List<Endpoint> endpoints;
    private int nextEndpoint;
    private final SslContext sslContext;
    private final int maxFrameBytes;
    private final Duration connectTimeout;
    private final boolean autoReconnect;
    private final EventLoopGroup group;
    private final Backoff backoff;
    private final Handshake handshake;
    private final Outbox outbox;
    private final Dispatcher dispatcher;
    private final Events events;

    private volatile Connection current;
    private volatile boolean closed;
    /** Guarded by this. */
    private ConnectionState state = ConnectionState.DISCONNECTED;
    /** Guarded by this: a session was open since the last connect() (decides onDisconnected). */
    private boolean sessionSinceConnect;
    // Event loop only:
    private int reconnectAttempt;
    private ScheduledFuture<?> reconnectTimer;
    private volatile long userId;

    /** @param sslContext null when no endpoint is secure */
    Connector(List<Endpoint> endpoints, SslContext sslContext, ImClientBuilder settings, EventLoopGroup group,
            Backoff backoff, Handshake handshake, Outbox outbox, Dispatcher dispatcher, Events events) {
        this.endpoints = endpoints;
        this.sslContext = sslContext;
        this.maxFrameBytes = settings.maxFrameBytes;
        this.connectTimeout = settings.connectTimeout;
        this.autoReconnect = settings.autoReconnect;
        this.group = group;
        this.backoff = backoff;
        this.handshake = handshake;
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.events = events;
    }

    /** See {@link ImClient#connect()}. Any thread. */
    CompletableFuture<HelloOk> connect() {
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
            handshake.resetTokenRefreshes();
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

    /** Starts one connection attempt. */
    private Connection open() {
        Connection connection = new Connection(endpoints.get(nextEndpoint), this);
        current = connection;
        connection.start(group, sslContext, maxFrameBytes, connectTimeout);
        return connection;
    }

    /** The transport is ready for frames: Hello, and its answer opens the session. */
    void opened(Connection c, Channel ch) {
        handshake.hello(ch).whenComplete((ok, failure) -> {
            if (failure != null) {
                c.handler.recordCause(unwrap(failure));
                ch.close();
                return;
            }
            c.helloOk = ok;
            Connection.startHeartbeat(ch, ok);
            sessionOpened(c, ok);
        });
    }

    private void sessionOpened(Connection c, HelloOk ok) {
        if (c != current || closed || !c.channel.isActive()) {
            c.hello.completeExceptionally(new IOException("connection closed"));
            return;
        }
        userId = ok.getUserId();
        reconnectAttempt = 0;
        handshake.resetTokenRefreshes();
        synchronized (this) {
            sessionSinceConnect = true;
            moveTo(ConnectionState.CONNECTED);
        }
        events.sessionOpened(c);
        c.hello.complete(ok);
    }

    void frame(Connection c, Frame frame) {
        events.frame(c, frame);
    }

    /** A connection attempt or session is over (event loop, or the connect failure's thread). */
    void ended(Connection c, Throwable cause) {
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
            nextEndpoint = (nextEndpoint + 1) % endpoints.size();
            events.lost(failure);
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

    static boolean isFinal(Throwable failure) {
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
    static long goingAwayDelay(Throwable failure) {
        if (failure instanceof ImErrorException e && e.getCode() == ErrorCode.GOING_AWAY) {
            try {
                return Math.min(MAX_GOING_AWAY_MILLIS, Math.max(0, Long.parseLong(e.getMessage().trim())));
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }

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

    private void refreshTokenAndReconnect(Throwable expired) {
        if (!handshake.mayRefreshToken()) {
            stop(expired);
            return;
        }
        synchronized (this) {
            moveTo(ConnectionState.RECONNECTING);
        }
        handshake.freshToken().whenComplete((token, failure) -> group.execute(() -> {
            if (failure != null || token == null || token.isEmpty()) {
                ImErrorException stopped = new ImErrorException(ErrorCode.TOKEN_EXPIRED,
                        "access token expired and no fresh one came: "
                                + (failure == null ? "empty token" : unwrap(failure)));
                stop(stopped);
                return;
            }
            handshake.useToken(token);
            scheduleReconnect(0);
        }));
    }

    /**
     * The client stops for good: waiting sends fail, the listener hears the state and, when a
     * session had been open, {@code onDisconnected(cause)}.
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
            dispatcher.toListener(l -> l.onDisconnected(cause));
        }
    }

    /** Caller holds the lock; reports the change in order with every other callback. */
    private void moveTo(ConnectionState next) {
        if (state == next) {
            return;
        }
        state = next;
        dispatcher.toListener(l -> l.onConnectionState(next));
    }

    /**
     * Takes a send into the outbox unless the client is stopped (any thread).
     *
     * @throws IllegalStateException when not connected or reconnecting
     * @throws OutboxFullException   when the outbox is full
     */
    synchronized Outbox.Entry admit(Send send) {
        if (closed || state == ConnectionState.DISCONNECTED) {
            throw notConnected();
        }
        return outbox.add(send);
    }

    /**
     * Closes the connection and stops reconnecting (any thread); false when it was closed already.
     * Waits, within the connect timeout, until the listener's last callback is queued.
     */
    boolean close() {
        synchronized (this) {
            if (closed) {
                return false;
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
            } catch (ExecutionException | TimeoutException e) {
                // Closing anyway; the last callback may be lost, nothing else is.
            }
        } else if (current == null) {
            stop(null);
        }
        return true;
    }

    synchronized ConnectionState state() {
        return state;
    }

    /** The current connection attempt or session, or null (any thread). */
    Connection current() {
        return current;
    }

    /** The current connection when its session (Hello answered) is open, else null (any thread). */
    Connection session() {
        Connection c = current;
        return c != null && c.helloOk != null && c.channel != null && c.channel.isActive() ? c : null;
    }

    /** The user of the latest session; 0 before the first. */
    long userId() {
        return userId;
    }

    /** Pauses or resumes reading from the current connection (any thread). */
    void setAutoRead(boolean on) {
        Connection c = current;
        if (c != null && c.channel != null) {
            c.channel.config().setAutoRead(on);
        }
    }

    IllegalStateException notConnected() {
        return new IllegalStateException(closed ? "client is closed"
                : "not connected: call connect() first (or again after the client stopped)");
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}

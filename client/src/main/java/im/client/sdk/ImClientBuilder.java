package im.client.sdk;

import io.netty.handler.ssl.SslContext;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The settings and methods of {@link ImClient.Builder}, in a file of their own. Only that class
 * extends it, so its setters answer with the public type and the client reads the fields directly.
 */
abstract sealed class ImClientBuilder permits ImClient.Builder {

    private static final ImClient.Listener NO_LISTENER = new ImClient.Listener() {
    };

    List<URI> endpoints = List.of();
    String accessToken;
    String deviceId;
    ImClient.Listener listener = NO_LISTENER;
    // Router commits before it answers; ten seconds covers a slow disk and a retry behind it.
    Duration requestTimeout = Duration.ofSeconds(10);
    Duration connectTimeout = Duration.ofSeconds(10);
    // Long enough for a push that overtook its predecessor to be followed by it, short enough
    // that a lost push is fetched before a person notices.
    Duration gapGrace = Duration.ofMillis(500);
    // The server's own limit is about this size; 1 MiB holds the largest body (16 KiB) with room.
    int maxFrameBytes = 1024 * 1024;
    int maxPendingRequests = 10_000;
    // Messages held above a gap per conversation: a few pages' worth of pushes racing a sync.
    int maxHeldAboveGap = 10_000;
    int listenerQueueHigh = 10_000;
    Map<String, Long> cursors = Map.of();
    SslContext sslContext;
    boolean autoReconnect = true;
    // The first retry comes quickly (a dropped Wi-Fi, a node restart); a server that stays away
    // is asked at most every ten seconds, and full jitter spreads a crowd that lost it together.
    Duration backoffBase = Duration.ofMillis(200);
    Duration backoffCap = Duration.ofSeconds(10);
    Supplier<CompletableFuture<String>> tokenSupplier;
    boolean numberSends = true;
    // A person types far fewer than this while offline; a program sending faster than the
    // server acknowledges is told at once instead of filling memory.
    int maxOutbox = 1_000;
    // Conversations whose numbering, receipt positions and unsent read marks are remembered.
    int maxConversations = 10_000;

    ImClientBuilder() {
    }

    /** {@code tcp://host:7000}, {@code ws://host:7001/ws}, or {@code tls://} / {@code wss://}. */
    public ImClient.Builder endpoint(URI endpoint) {
        return endpoints(List.of(Objects.requireNonNull(endpoint, "endpoint")));
    }

    /**
     * Several push nodes of one system, tried in turn: the first connects first, and every lost
     * connection moves on to the next (a node that died or drains sends its devices elsewhere).
     */
    public ImClient.Builder endpoints(List<URI> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        return self();
    }

    public ImClient.Builder accessToken(String accessToken) {
        this.accessToken = accessToken;
        return self();
    }

    /** This device's stable id (1..64 of {@code [A-Za-z0-9._-]}). */
    public ImClient.Builder deviceId(String deviceId) {
        this.deviceId = deviceId;
        return self();
    }

    public ImClient.Builder listener(ImClient.Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    public ImClient.Builder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        return self();
    }

    public ImClient.Builder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        return self();
    }

    /** How long a seq gap may stay before the client syncs the missing range. */
    public ImClient.Builder gapGrace(Duration gapGrace) {
        this.gapGrace = Objects.requireNonNull(gapGrace, "gapGrace");
        return self();
    }

    /** Largest frame accepted from the server; a bigger one closes the connection. */
    public ImClient.Builder maxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = atLeastOne(maxFrameBytes, "maxFrameBytes");
        return self();
    }

    public ImClient.Builder maxPendingRequests(int maxPendingRequests) {
        this.maxPendingRequests = atLeastOne(maxPendingRequests, "maxPendingRequests");
        return self();
    }

    public ImClient.Builder maxHeldAboveGap(int maxHeldAboveGap) {
        this.maxHeldAboveGap = atLeastOne(maxHeldAboveGap, "maxHeldAboveGap");
        return self();
    }

    /** Listener callbacks queued before the client stops reading from the network. */
    public ImClient.Builder listenerQueueHigh(int listenerQueueHigh) {
        this.listenerQueueHigh = Math.max(2, listenerQueueHigh);
        return self();
    }

    /** What this device already holds (e.g. another client's {@link ImClient#cursors()}). */
    public ImClient.Builder cursors(Map<String, Long> cursors) {
        this.cursors = new HashMap<>(Objects.requireNonNull(cursors, "cursors"));
        return self();
    }

    /** TLS settings for {@code tls://} and {@code wss://} (default: the JDK's trusted roots). */
    public ImClient.Builder sslContext(SslContext sslContext) {
        this.sslContext = sslContext;
        return self();
    }

    /**
     * Which servers {@code tls://} and {@code wss://} believe: a CA of your own, or one pinned
     * certificate (see {@link ServerTrust}); default the JDK's trusted roots.
     */
    public ImClient.Builder trust(ServerTrust trust) {
        this.sslContext = Objects.requireNonNull(trust, "trust").nettyContext();
        return self();
    }

    /**
     * Whether a lost session is re-established automatically (default true). Off: a lost
     * connection stops the client ({@link ImClient.Listener#onDisconnected} with the cause) and
     * waiting sends fail.
     */
    public ImClient.Builder autoReconnect(boolean autoReconnect) {
        this.autoReconnect = autoReconnect;
        return self();
    }

    /**
     * Reconnect waits: attempt n waits a random time in [0, min(cap, base * 2^n)] (default
     * 200 ms .. 10 s).
     */
    public ImClient.Builder reconnectBackoff(Duration base, Duration cap) {
        this.backoffBase = positive(base, "base");
        this.backoffCap = positive(cap, "cap");
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap must not be below base");
        }
        return self();
    }

    /**
     * Where a fresh access token comes from when the server calls the current one expired
     * (TOKEN_EXPIRED) while reconnecting. Without one, an expired token stops the client.
     */
    public ImClient.Builder tokenSupplier(Supplier<CompletableFuture<String>> tokenSupplier) {
        this.tokenSupplier = tokenSupplier;
        return self();
    }

    /**
     * Whether sends carry this device's per-conversation number (clientSeq 1, 2, 3, ...) so
     * the server stores them in the order made (default true). Off: clientSeq is sent as the
     * given Send carries it (0: no order check).
     */
    public ImClient.Builder numberSends(boolean numberSends) {
        this.numberSends = numberSends;
        return self();
    }

    /** Most sends waiting for their acknowledgement; a send beyond fails with {@link OutboxFullException}. */
    public ImClient.Builder maxOutbox(int maxOutbox) {
        this.maxOutbox = atLeastOne(maxOutbox, "maxOutbox");
        return self();
    }

    /** Most conversations whose send numbering, receipt positions and unsent read marks are kept. */
    public ImClient.Builder maxConversations(int maxConversations) {
        this.maxConversations = atLeastOne(maxConversations, "maxConversations");
        return self();
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

    private ImClient.Builder self() {
        return (ImClient.Builder) this;
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

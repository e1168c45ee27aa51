package im.client.sdk;

import im.protocol.client.ConversationCursor;
import im.protocol.client.Frame;
import im.protocol.client.Hello;
import im.protocol.client.HelloOk;
import io.netty.channel.Channel;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Hello that opens every session (the access token, this device, its cursors) and the token it
 * presents: a reauthenticated or renewed token replaces it for the next Hello, and an expired one
 * is renewed from the token supplier a bounded number of times.
 */
final class Handshake {

    /** Token refreshes in a row without a session before the client believes the refresh is no good. */
    private static final int MAX_TOKEN_REFRESHES = 3;

    private final String deviceId;
    private final HeldMessages held;
    private final Requests requests;
    private final Supplier<CompletableFuture<String>> tokenSupplier;
    private volatile String accessToken;
    /** Event loop only. */
    private int tokenRefreshes;

    Handshake(String deviceId, String accessToken, Supplier<CompletableFuture<String>> tokenSupplier,
            HeldMessages held, Requests requests) {
        this.deviceId = deviceId;
        this.accessToken = accessToken;
        this.tokenSupplier = tokenSupplier;
        this.held = held;
        this.requests = requests;
    }

    /** Says Hello on a channel ready for frames; completes with the server's answer. */
    CompletableFuture<HelloOk> hello(Channel ch) {
        return requests.ask(ch, Frame.newBuilder().setHello(helloMessage()), Frame::getHelloOk,
                Frame.BodyCase.HELLO_OK);
    }

    private Hello helloMessage() {
        Hello.Builder hello = Hello.newBuilder().setAccessToken(accessToken).setDeviceId(deviceId);
        held.cursors().forEach((id, seq) -> hello.addCursors(
                ConversationCursor.newBuilder().setConversationId(id).setLastSeq(seq)));
        return hello.build();
    }

    /** The token the next Hello presents. */
    void useToken(String token) {
        accessToken = token;
    }

    /** A session opened, or connect() starts over: refreshes count from zero again (event loop). */
    void resetTokenRefreshes() {
        tokenRefreshes = 0;
    }

    /** Whether a fresh token may be asked for now; counts the refresh (event loop). */
    boolean mayRefreshToken() {
        return tokenSupplier != null && ++tokenRefreshes <= MAX_TOKEN_REFRESHES;
    }

    /** Asks the token supplier; a supplier that throws or answers null fails the future. */
    CompletableFuture<String> freshToken() {
        try {
            return Objects.requireNonNull(tokenSupplier.get(), "tokenSupplier returned null");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}

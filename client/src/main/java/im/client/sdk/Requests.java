package im.client.sdk;

import im.protocol.client.Frame;
import io.netty.channel.Channel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Requests to the server that wait for their answer: each gets a fresh request id, is written, and
 * completes with the answer carrying that id (or fails with its Error, the timeout, or the lost
 * connection). Sends take their request ids from the same numbering. Any thread.
 */
final class Requests {

    private final PendingRequests pending;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();

    Requests(PendingRequests pending, Duration timeout) {
        this.pending = pending;
        this.timeout = timeout;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Writes the request on {@code ch}; its answer must be of the {@code expected} kind. */
    <T> CompletableFuture<T> ask(Channel ch, Frame.Builder frame, Function<Frame, T> answer,
            Frame.BodyCase expected) {
        long id = nextId();
        CompletableFuture<Frame> reply = pending.register(id, timeout);
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

    void answered(long id, Frame answer) {
        pending.complete(id, answer);
    }

    void failed(long id, Throwable cause) {
        pending.fail(id, cause);
    }

    /** The connection they went out on is gone. */
    void failAll(Throwable cause) {
        pending.failAll(cause);
    }
}

package im.push.router;

import im.common.grpc.GrpcErrors;
import im.protocol.router.LinkCall;
import im.protocol.router.LinkCalls;
import im.protocol.router.LinkOutcome;
import im.protocol.router.LinkOutcomes;
import im.protocol.router.RouterLinkGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One {@code RouterLink.Exchange} stream to one router: calls of every session of this node that
 * go to that router, gathered into one stream message while the one before is being written, and
 * their outcomes matched back by id. The stream dies with its router or connection; then every
 * call still open fails UNAVAILABLE (the sessions resend; the router's dedupe answers what was
 * stored) and the next call opens a new link.
 */
public final class RouterLink implements StreamObserver<LinkOutcomes> {

    // Far below gRPC's 4 MiB default message limit even with the largest Send a client may frame.
    private static final int MAX_MESSAGE_BYTES = 1 << 20;

    private record Open(CompletableFuture<LinkOutcome> outcome, long deadlineNanos) {
    }

    private final ConcurrentHashMap<Long, Open> open = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<LinkCall> unsent = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();
    private final Consumer<RouterLink> onClosed;
    private final StreamObserver<LinkCalls> calls;
    private volatile boolean closed;

    /** Opens the stream on {@code channel}; {@code onClosed} hears once that it died. */
    public RouterLink(Channel channel, Consumer<RouterLink> onClosed) {
        this.onClosed = onClosed;
        this.calls = RouterLinkGrpc.newStub(channel).exchange(this);
    }

    /**
     * Sends {@code call} (its id is set here) and answers its outcome; a refusal fails the future
     * as the unary call would have failed, a call unanswered by {@code deadlineNanos}
     * ({@link System#nanoTime()}) fails DEADLINE_EXCEEDED at the next {@link #expire}.
     */
    public CompletableFuture<LinkOutcome> call(LinkCall.Builder call, long deadlineNanos) {
        long id = ids.incrementAndGet();
        CompletableFuture<LinkOutcome> outcome = new CompletableFuture<>();
        open.put(id, new Open(outcome, deadlineNanos));
        if (closed) {
            fail(id, Status.UNAVAILABLE.withDescription("router link closed"));
            return outcome;
        }
        unsent.add(call.setId(id).build());
        if (writing.compareAndSet(false, true)) {
            writeUnsent();
        }
        return outcome;
    }

    /** Fails the calls whose deadline passed by {@code nowNanos}. */
    public void expire(long nowNanos) {
        open.forEach((id, call) -> {
            if (nowNanos - call.deadlineNanos() >= 0) {
                fail(id, Status.DEADLINE_EXCEEDED.withDescription("router did not answer in time"));
            }
        });
    }

    /** Ends the stream (this node stops); open calls fail UNAVAILABLE. */
    public void close() {
        if (!closed) {
            calls.onCompleted();
            died(Status.UNAVAILABLE.withDescription("router link closed"));
        }
    }

    @Override
    public void onNext(LinkOutcomes outcomes) {
        for (LinkOutcome outcome : outcomes.getOutcomesList()) {
            Open call = open.remove(outcome.getId());
            if (call == null) {
                continue; // expired before its answer came
            }
            if (outcome.hasFailure()) {
                call.outcome().completeExceptionally(GrpcErrors.fromLinkFailure(outcome.getFailure()));
            } else {
                call.outcome().complete(outcome);
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        died(Status.UNAVAILABLE.withDescription("router link failed: " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription())));
    }

    @Override
    public void onCompleted() {
        died(Status.UNAVAILABLE.withDescription("router closed the link"));
    }

    private void died(Status status) {
        closed = true;
        onClosed.accept(this);
        open.keySet().forEach(id -> fail(id, status));
    }

    private void fail(long id, Status status) {
        Open call = open.remove(id);
        if (call != null) {
            call.outcome().completeExceptionally(new StatusRuntimeException(status));
        }
    }

    /** Writes what is queued, in as few messages as fit; one writer at a time. */
    private void writeUnsent() {
        do {
            LinkCalls.Builder message = LinkCalls.newBuilder();
            int bytes = 0;
            LinkCall call;
            while ((call = unsent.poll()) != null) {
                int size = call.getSerializedSize();
                if (message.getCallsCount() > 0 && bytes + size > MAX_MESSAGE_BYTES) {
                    write(message.build());
                    message = LinkCalls.newBuilder();
                    bytes = 0;
                }
                message.addCalls(call);
                bytes += size;
            }
            if (message.getCallsCount() > 0) {
                write(message.build());
            }
            writing.set(false);
        } while (!unsent.isEmpty() && writing.compareAndSet(false, true));
    }

    /** Its calls are open ({@link #call} records them first), so a dead link has failed them already. */
    private void write(LinkCalls message) {
        if (closed) {
            return;
        }
        try {
            calls.onNext(message);
        } catch (RuntimeException failure) {
            onError(failure);
        }
    }
}

package im.router.grpc;

import im.common.access.Permissions;
import im.common.grpc.GrpcErrors;
import im.common.token.AccessTokenVerifier;
import im.common.token.CallerTokens;
import im.common.token.VerifiedUser;
import im.protocol.router.LinkCall;
import im.protocol.router.LinkCalls;
import im.protocol.router.LinkOutcome;
import im.protocol.router.LinkOutcomes;
import im.protocol.router.RouterLinkGrpc;
import im.router.cursor.DeliveryCursors;
import im.router.send.SendService;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * gRPC {@code RouterLink}: the push edge's sends and delivery acks, many sessions' calls per stream
 * message. Each call is checked as its unary twin in {@link RouterGrpcService} checks it (its own
 * token, the same fast path from the calling thread when nothing must be fetched, a router thread
 * otherwise); outcomes are gathered while one is being sent, so a committed batch of sends goes
 * back in one or a few messages.
 */
@GrpcService
public class RouterLinkService extends RouterLinkGrpc.RouterLinkImplBase {

    private static final Logger LOG = Logger.getLogger(RouterLinkService.class);
    // Outcomes are small (an ack or a status); the cap keeps a reply message far below gRPC's
    // 4 MiB default even when every outcome is a failure with a long description.
    private static final int MAX_OUTCOMES_PER_MESSAGE = 1024;

    private final AccessTokenVerifier verifier;
    private final SendService sends;
    private final DeliveryCursors cursors;
    private final RouterWorkers workers;

    public RouterLinkService(AccessTokenVerifier verifier, SendService sends, DeliveryCursors cursors,
            RouterWorkers workers) {
        this.verifier = verifier;
        this.sends = sends;
        this.cursors = cursors;
        this.workers = workers;
    }

    @Override
    public StreamObserver<LinkCalls> exchange(StreamObserver<LinkOutcomes> replies) {
        return new Link((ServerCallStreamObserver<LinkOutcomes>) replies);
    }

    /** One push node's stream: starts its calls in arrival order and sends their outcomes back. */
    private final class Link implements StreamObserver<LinkCalls> {

        private final ServerCallStreamObserver<LinkOutcomes> replies;
        private final ConcurrentLinkedQueue<LinkOutcome> ready = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean sending = new AtomicBoolean();
        private final AtomicInteger open = new AtomicInteger();
        private volatile boolean callerDone;
        private volatile boolean closed;

        Link(ServerCallStreamObserver<LinkOutcomes> replies) {
            this.replies = replies;
            replies.setOnCancelHandler(() -> closed = true);
        }

        @Override
        public void onNext(LinkCalls calls) {
            for (LinkCall call : calls.getCallsList()) {
                open.incrementAndGet();
                start(call).whenComplete((outcome, failure) -> answer(failure == null ? outcome
                        : LinkOutcome.newBuilder().setId(call.getId())
                                .setFailure(GrpcErrors.toLinkFailure(unwrap(failure))).build()));
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The push node went away: what it sent is stored or not, and its sessions resend.
            closed = true;
        }

        @Override
        public void onCompleted() {
            callerDone = true;
            completeWhenAnswered();
        }

        private CompletionStage<LinkOutcome> start(LinkCall call) {
            long id = call.getId();
            return switch (call.getRequestCase()) {
                case SEND -> acting(call.getToken(), Permissions.MESSAGE_SEND,
                        caller -> sends.sendWithoutWaiting(caller, call.getSend()),
                        caller -> sends.send(caller, call.getSend()))
                        .thenApply(sent -> LinkOutcome.newBuilder().setId(id).setSend(sent).build());
                case ACK_DELIVERY -> acting(call.getToken(), Permissions.MESSAGE_READ,
                        caller -> cursors.ack(caller, call.getAckDelivery()),
                        caller -> cursors.ack(caller, call.getAckDelivery()))
                        .thenApply(acked -> LinkOutcome.newBuilder().setId(id).setAckDelivery(acked).build());
                case REQUEST_NOT_SET -> CompletableFuture.failedStage(Status.INVALID_ARGUMENT
                        .withDescription("link call " + id + " names no request").asRuntimeException());
            };
        }

        /**
         * {@code here} from this thread when the token verified before and grants {@code permission}
         * (null: it would have to wait), else {@code onWorker} on a router thread after verifying
         * the token and its permission there.
         */
        private <T> CompletionStage<T> acting(String token, String permission,
                Function<VerifiedUser, CompletionStage<T>> here, Function<VerifiedUser, CompletionStage<T>> onWorker) {
            try {
                VerifiedUser verified = verifier.verifiedBefore(token);
                VerifiedUser caller = verified != null && verified.may(permission) ? verified : null;
                CompletionStage<T> stage = caller == null ? null : here.apply(caller);
                if (stage != null) {
                    return stage;
                }
            } catch (RuntimeException refused) {
                return CompletableFuture.failedStage(refused);
            }
            return workers.submit(() -> onWorker.apply(CallerTokens.requirePermitted(verifier, token, permission)));
        }

        private void answer(LinkOutcome outcome) {
            ready.add(outcome);
            open.decrementAndGet();
            if (sending.compareAndSet(false, true)) {
                workers.reply(this::sendReady);
            }
        }

        /** Sends what is ready, in as few messages as it takes; one sender at a time per stream. */
        private void sendReady() {
            do {
                LinkOutcomes.Builder message = LinkOutcomes.newBuilder();
                LinkOutcome outcome;
                while ((outcome = ready.poll()) != null) {
                    message.addOutcomes(outcome);
                    if (message.getOutcomesCount() == MAX_OUTCOMES_PER_MESSAGE) {
                        send(message.build());
                        message = LinkOutcomes.newBuilder();
                    }
                }
                if (message.getOutcomesCount() > 0) {
                    send(message.build());
                }
                sending.set(false);
            } while (!ready.isEmpty() && sending.compareAndSet(false, true));
            completeWhenAnswered();
        }

        private void send(LinkOutcomes message) {
            if (closed) {
                return;
            }
            try {
                replies.onNext(message);
            } catch (RuntimeException gone) {
                closed = true;
                LOG.debugf(gone, "Router link closed while answering");
            }
        }

        private void completeWhenAnswered() {
            if (callerDone && open.get() == 0 && ready.isEmpty() && sending.compareAndSet(false, true)) {
                if (!closed) {
                    closed = true;
                    replies.onCompleted();
                }
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }
}

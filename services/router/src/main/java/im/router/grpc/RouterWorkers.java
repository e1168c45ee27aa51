package im.router.grpc;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import io.grpc.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bounded pool of the router's own for its blocking calls, apart from the shared worker pool.
 *
 * <p>Why not {@code @Blocking}: a send blocks on the user service's CheckSend, and in the
 * standalone app that service's handler needs a thread of the same shared pool. Under load every
 * shared thread held a send waiting for a CheckSend queued behind more sends, each ran into its
 * deadline and nothing was stored at all. With its own pool the router can only wait for threads
 * it does not hold, and a full queue is answered UNAVAILABLE at once.
 */
@ApplicationScoped
public class RouterWorkers {

    private final ThreadPoolExecutor pool;
    // Unbounded, but what waits here is bounded by the group commits' queues; a reply refused
    // after its write committed would send a device to resend what is already stored.
    private final ExecutorService replies;

    public RouterWorkers(RouterWorkersConfig config) {
        AtomicInteger ids = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queue()), task -> {
                    Thread thread = new Thread(task, "router-worker-" + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        AtomicInteger replyIds = new AtomicInteger();
        this.replies = Executors.newFixedThreadPool(config.replyThreads(), task -> {
            Thread thread = new Thread(task, "router-reply-" + replyIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code work} on a router thread, in the calling gRPC context (the caller's token). */
    public <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().item(work)
                .runSubscriptionOn(Context.current().fixedContextExecutor(pool))
                .onFailure(RejectedExecutionException.class)
                .transform(busy -> GrpcErrors.error(ErrorCode.UNAVAILABLE, "router busy, retry later"));
    }

    /**
     * Runs {@code work} on a router thread like {@link #run}; the stage it returns completes
     * elsewhere (a group commit's writer), and the answer is sent from a router thread again, so
     * the writer goes straight back to writing.
     */
    public <T> Uni<T> runStage(Supplier<CompletionStage<T>> work) {
        return run(work).flatMap(stage -> Uni.createFrom().completionStage(stage)).emitOn(replies);
    }

    /**
     * Runs {@code work} on the calling thread (it must not block) and answers its stage from a
     * reply thread, like {@link #runStage} without the crossing to a router thread; null when the
     * work answered no stage because it would have to wait (then run it with {@link #runStage}).
     */
    public <T> Uni<T> runHere(Supplier<CompletionStage<T>> work) {
        CompletionStage<T> stage;
        try {
            stage = work.get();
        } catch (RuntimeException refused) {
            return Uni.createFrom().failure(refused);
        }
        return stage == null ? null : Uni.createFrom().completionStage(stage).emitOn(replies);
    }

    /**
     * Runs {@code work} on a router thread outside any gRPC call's context (the link carries each
     * call's token itself); a full pool fails the stage with UNAVAILABLE at once.
     */
    public <T> CompletionStage<T> submit(Supplier<CompletionStage<T>> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool).thenCompose(stage -> stage);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.failedStage(GrpcErrors.error(ErrorCode.UNAVAILABLE, "router busy, retry later"));
        }
    }

    /** Runs {@code task} on a reply thread: where answers are sent from, never a group commit's writer. */
    public void reply(Runnable task) {
        replies.execute(task);
    }

    void stop(@Observes ShutdownEvent event) {
        pool.shutdown();
        replies.shutdown();
    }
}

package im.push.session;

import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads where sessions do what may block: token verification (the first one can fetch the
 * JWKS) and presence updates (Redis in cluster mode). Bounded in threads and in queue; a full
 * queue is an answer (UNAVAILABLE), not a wait.
 */
@Singleton
public class SessionWorkers implements Executor {

    private final ThreadPoolExecutor pool;

    public SessionWorkers(SessionConfig config) {
        pool = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.workerQueue()),
                new DefaultThreadFactory("im-push-session", true));
    }

    /** @throws RejectedExecutionException when the queue is full or the node is shutting down */
    @Override
    public void execute(Runnable job) {
        pool.execute(job);
    }

    @PreDestroy
    void shutdown() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}

package im.router.grpc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The router's own threads for its blocking work (token checks, JDBC, calls to the user service). */
@ConfigMapping(prefix = "im.router.workers")
public interface RouterWorkersConfig {

    /**
     * Threads. Each one holds a database connection for most of its call, so more threads than
     * connections only queue at the pool; 32 matches a typical MySQL pool for one router.
     */
    @WithDefault("32")
    int threads();

    /**
     * Calls waiting for a thread. Beyond this the router answers UNAVAILABLE at once (the client
     * retries with backoff) instead of letting every waiting call run into its deadline.
     */
    @WithDefault("2000")
    int queue();

    /**
     * Threads that send the answers of stored writes (sends, acks), so the group commit's writer
     * does not. Answering is light work; 2 keep up with the writer on a small machine.
     */
    @WithDefault("2")
    int replyThreads();
}

package im.push.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Sessions: Hello, token checks and the calls a session makes to the router. */
@ConfigMapping(prefix = "im.push.session")
public interface SessionConfig {

    /**
     * A connection that has not completed Hello by then is closed: it holds a socket and buffers
     * without being anybody. Ten seconds covers a slow handshake on a poor mobile link.
     */
    @WithDefault("10s")
    Duration helloTimeout();

    /**
     * Requests of one connection that may wait for the router at the same time (Sync, DeliverAck,
     * Read, GetReceipts, Reauthenticate; sends have their own queue). Beyond it the client gets
     * RATE_LIMITED. A client that waits for acks needs a handful; 128 leaves room for a burst of
     * delivery acks after a sync page.
     */
    @WithDefault("128")
    int maxInFlight();

    /**
     * Sends of one connection waiting for their answer, started or not. Beyond it a send is
     * answered RATE_LIMITED. 1000 is the SDK's default outbox, which a reconnecting client writes
     * in one burst; it costs at most that many frames of memory per connection.
     */
    @WithDefault("1000")
    int maxQueuedSends();

    /**
     * Sends of one connection handed to the router at the same time, in arrival order, so that a
     * device's burst shares commits (see {@code SendPipeline}); the rest of the queue waits. A
     * send the router meets before one sent ahead of it is sent again after that one is answered.
     */
    @WithDefault("8")
    int maxSendsInFlight();

    /**
     * Deadline of each router call. A send that takes longer is answered UNAVAILABLE and the
     * client retries with the same client_msg_id, which is safe.
     */
    @WithDefault("10s")
    Duration routerTimeout();

    /**
     * Threads that verify access tokens and record presence (never on an event loop). Token
     * verification is a signature check of well under a millisecond, so a few threads serve
     * thousands of Hellos per second.
     */
    @WithDefault("4")
    int workerThreads();

    /**
     * Jobs waiting for those threads; beyond it a Hello is answered UNAVAILABLE instead of
     * queueing without bound during a reconnect storm.
     */
    @WithDefault("10000")
    int workerQueue();
}

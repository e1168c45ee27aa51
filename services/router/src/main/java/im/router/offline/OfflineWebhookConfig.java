package im.router.offline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator's webhook told of messages for users with no online device, so that it can wake
 * their phones through APNs or FCM. Off unless {@link #url()} is set.
 */
@ConfigMapping(prefix = "im.router.offline-webhook")
public interface OfflineWebhookConfig {

    /**
     * Where the notifications are POSTed (env {@code IM_OFFLINE_WEBHOOK_URL}), http or https. Unset,
     * the default, the router tells nobody: a deployment without mobile push has no receiver.
     */
    Optional<String> url();

    /**
     * The key the requests are signed with (env {@code IM_OFFLINE_WEBHOOK_SECRET}), at least 32
     * characters, e.g. {@code openssl rand -base64 48}. Required with a url: an unsigned hook would
     * let anyone who finds the receiver's address make it push to users' phones.
     */
    Optional<String> secret();

    /**
     * How long the first notification of a batch waits for others. A second costs a push no one
     * notices (APNs and FCM take longer to reach a phone) and turns a burst into one call.
     */
    @WithDefault("1s")
    Duration batchWindow();

    /** Most notifications in one call: a busy burst goes as several calls of bounded size. */
    @WithDefault("100")
    int maxBatch();

    /**
     * Calls made for a batch before it is dropped, {@link #backoff()} apart and doubling: 1, 2, 4
     * and 8 s at the defaults, so a receiver that restarts within ~15 s loses nothing.
     */
    @WithDefault("5")
    int attempts();

    /** The wait before the second call of a batch; each later wait doubles. */
    @WithDefault("1s")
    Duration backoff();

    /** Longest wait for a connection, and then for the receiver's answer, per call. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Notifications waiting for the hook. Full, the oldest are dropped (and counted) rather than
     * the routing thread held: a notification is a hint, the message itself waits in the store.
     * ~200 bytes each, 2 MB at 10,000, minutes of a receiver's outage at chat rates.
     */
    @WithDefault("10000")
    int queueCapacity();
}

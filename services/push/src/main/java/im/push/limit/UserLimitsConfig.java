package im.push.limit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits per user, over all of the user's devices and, in a cluster, over every push node. */
@ConfigMapping(prefix = "im.push.user-limits")
public interface UserLimitsConfig {

    /**
     * Messages one user may send per {@link #sendWindow()}, counted over all its devices. Far
     * above what a person types; a script or a stolen token is held to it. A send beyond it is
     * answered RATE_LIMITED with the wait until the window ends, and the SDK sends it again then.
     */
    @WithDefault("20")
    int sendsPerWindow();

    /** The window the send limit counts in; it opens at the user's first send. */
    @WithDefault("1s")
    Duration sendWindow();

    /**
     * How long a node counts a user's sends by itself before it adds them to the count every node
     * shares (Redis in a cluster). A user whose devices sit on several nodes may exceed the limit
     * by what the other nodes counted in that time; a user on one node never does.
     */
    @WithDefault("50ms")
    Duration shareEvery();

    /**
     * Devices of one user connected at once, on all nodes. A Hello beyond it is refused with
     * RATE_LIMITED; a device that reconnects replaces its own session and is not counted twice.
     */
    @WithDefault("10")
    int devices();
}

package im.router.sync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds of the sync path. */
@ConfigMapping(prefix = "im.router.sync")
public interface SyncConfig {

    /**
     * Most cursors one ListConversations may carry. 10000 conversations is far beyond any real
     * user's list, while the request stays well under gRPC's 4 MiB message limit.
     */
    @WithDefault("10000")
    int maxCursors();
}

package im.user.profile;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Search of users by username prefix ({@code GET /users/search}). */
@ConfigMapping(prefix = "im.user.search")
public interface SearchConfig {

    /** Users one search answers when the caller names no limit: a screen of suggestions. */
    @WithDefault("20")
    int defaultLimit();

    /**
     * Most users one search answers; a larger limit asked for is cut to this. A search box needs
     * a screenful, and a small bound keeps the directory from being listed wholesale in few calls.
     */
    @WithDefault("50")
    int maxLimit();
}

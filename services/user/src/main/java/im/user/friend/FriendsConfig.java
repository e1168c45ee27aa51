package im.user.friend;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "im.user.friends")
public interface FriendsConfig {

    /**
     * Most entries one list call answers (friends, pending requests). 1000 covers any person's
     * real friend list while keeping one answer well under a megabyte; paging can come later.
     */
    @WithDefault("1000")
    int listLimit();
}

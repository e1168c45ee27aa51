package im.router.group;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "im.router.groups")
public interface GroupConfig {

    /** Most members of one group. */
    @WithDefault("10000")
    int maxMembers();

    /** Groups whose roster a node keeps in memory for the send check and the fan-out. */
    @WithDefault("10000")
    int rostersRemembered();

    /** Most user ids one change names. */
    @WithDefault("500")
    int maxUsersPerChange();
}

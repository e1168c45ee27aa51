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

    /**
     * Groups with fewer members than this list each member's delivered and read positions in
     * GetReceipts and hear each read receipt live; larger ones get counts.
     */
    @WithDefault("100")
    int receiptsListedUpTo();

    /** Most user ids one change names. */
    @WithDefault("500")
    int maxUsersPerChange();
}

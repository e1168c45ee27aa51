package im.user.group;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the group API calls the router's {@code Groups} service. */
@ConfigMapping(prefix = "im.user.groups")
public interface GroupsConfig {

    /**
     * Deadline of one call to the router. A change is one transaction on the group's shard, queued
     * behind that shard's group commit; 5 s covers a loaded writer, and past it the caller hears
     * 503 instead of waiting on a router that is gone.
     */
    @WithDefault("PT5S")
    Duration callTimeout();

    /**
     * Most users one call names (the first members of a new group, the users added at once). Each
     * is looked up in the profiles first, in one query, which this bounds; 500 is the router's own
     * limit per change ({@code im.router.groups.max-users-per-change}), so a call the router would
     * refuse costs no lookup here. Larger groups grow in several calls.
     */
    @WithDefault("500")
    int maxUsersPerCall();
}

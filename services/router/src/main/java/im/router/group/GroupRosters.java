package im.router.group;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rosters this node knows, each at the seq it is exact at. A send to a group is checked on the
 * remembered roster only when it is exact at the conversation's remembered last seq: the send's
 * seq then moves the conversation from that very seq (a compare-and-set), so any change stored
 * meanwhile, by this node or another, makes the write fall back to reading the roster under the
 * conversation's row lock. Bounded: the least used groups are forgotten first.
 */
@ApplicationScoped
public class GroupRosters {

    private final Cache<String, GroupRoster> rosters;

    public GroupRosters(GroupConfig config) {
        this.rosters = Caffeine.newBuilder().maximumSize(config.rostersRemembered()).build();
    }

    /** The group's roster when it is known exact at {@code lastSeq}; null otherwise. */
    public GroupRoster exactAt(String conversationId, long lastSeq) {
        GroupRoster roster = rosters.getIfPresent(conversationId);
        return roster != null && roster.atSeq() == lastSeq ? roster : null;
    }

    /**
     * The newest roster this node remembers, exact or not (a change stored by another node since is
     * not in it); null when none. For what may act on a roster a moment old, never for a send.
     */
    public GroupRoster latest(String conversationId) {
        return rosters.getIfPresent(conversationId);
    }

    /** A committed roster; an older one than what is known changes nothing. */
    public void remember(GroupRoster roster) {
        rosters.asMap().merge(roster.conversationId(), roster,
                (known, offered) -> offered.atSeq() >= known.atSeq() ? offered : known);
    }
}

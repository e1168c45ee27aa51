package im.router.group;

import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A group as its timeline stands at seq {@code atSeq}: its settings and current members. Every
 * change of either is a system message with its own seq, so a roster known at the conversation's
 * last seq is exact, and a send that takes the next seq from that last seq is checked against the
 * membership it is ordered after.
 */
public record GroupRoster(String conversationId, Settings settings, Map<Long, Member> members, long atSeq) {

    public GroupRoster {
        members = Collections.unmodifiableMap(members);
    }

    /** What a group is besides its members. */
    public record Settings(String name, long ownerId, JoinPolicy joinPolicy, boolean muted, boolean dissolved,
            long createdAtMs) {
    }

    /** How one user belongs: role, whether muted, and the seq of its joining (it reads from there). */
    public record Member(GroupRole role, boolean muted, long joinedSeq) {
        public boolean atLeast(GroupRole wanted) {
            return role.getNumber() >= wanted.getNumber();
        }
    }

    public GroupRoster at(long seq) {
        return new GroupRoster(conversationId, settings, members, seq);
    }

    public Member member(long userId) {
        return members.get(userId);
    }

    public Set<Long> memberIds() {
        return members.keySet();
    }

    /** Why the user may not send to the group now; null when it may. */
    public String sendRefusal(long userId) {
        Member member = members.get(userId);
        if (member == null) {
            return "not a member of this group";
        }
        if (settings.dissolved()) {
            return "the group is dissolved";
        }
        if (member.muted()) {
            return "you are muted in this group";
        }
        if (settings.muted() && !member.atLeast(GroupRole.ADMIN)) {
            return "the group is muted: only its owner and admins send";
        }
        return null;
    }
}

package im.router.group;

import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import java.util.List;

/** A change of a group asked for by a user (the actor), before the group's rules judged it. */
public sealed interface GroupChange {

    record Create(String name, List<Long> memberIds, JoinPolicy joinPolicy) implements GroupChange {
    }

    record AddMembers(List<Long> userIds) implements GroupChange {
    }

    record Join() implements GroupChange {
    }

    record Leave() implements GroupChange {
    }

    record ApproveJoin(List<Long> userIds) implements GroupChange {
    }

    record RejectJoin(List<Long> userIds) implements GroupChange {
    }

    record RemoveMembers(List<Long> userIds) implements GroupChange {
    }

    record SetRole(List<Long> userIds, GroupRole role) implements GroupChange {
    }

    record TransferOwnership(long newOwnerId) implements GroupChange {
    }

    record SetMembersMuted(List<Long> userIds, boolean muted) implements GroupChange {
    }

    record SetGroupMuted(boolean muted) implements GroupChange {
    }

    record Rename(String name) implements GroupChange {
    }

    record Dissolve() implements GroupChange {
    }
}

package im.user.group;

import im.protocol.router.Group;

/**
 * A group as REST answers it, seen by the caller: {@code myRole} is the caller's role and
 * {@code joinedSeq} the seq of the caller's joining, from which the caller reads the group's
 * conversation ({@code conversationId}).
 */
public record GroupView(long groupId, String conversationId, String name, long ownerId, String joinPolicy,
        boolean muted, boolean dissolved, int memberCount, long createdAtMs, String myRole, long joinedSeq) {

    static GroupView of(Group group) {
        return new GroupView(group.getGroupId(), group.getConversationId(), group.getName(), group.getOwnerId(),
                group.getJoinPolicy().name(), group.getMuted(), group.getDissolved(), group.getMemberCount(),
                group.getCreatedAtMs(), group.getMyRole().name(), group.getJoinedSeq());
    }
}

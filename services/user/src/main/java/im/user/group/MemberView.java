package im.user.group;

import im.protocol.router.GroupMember;

/** One member of a group as REST answers it; {@code joinedSeq} is the seq of its joining. */
public record MemberView(long userId, String role, boolean muted, long joinedSeq) {

    static MemberView of(GroupMember member) {
        return new MemberView(member.getUserId(), member.getRole().name(), member.getMuted(), member.getJoinedSeq());
    }
}

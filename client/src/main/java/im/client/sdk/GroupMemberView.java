package im.client.sdk;

import im.protocol.client.GroupRole;

/** A current member of a group; {@code muted}: may not send; {@code joinedSeq}: the seq of its joining. */
public record GroupMemberView(long userId, GroupRole role, boolean muted, long joinedSeq) {
}

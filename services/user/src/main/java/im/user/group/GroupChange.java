package im.user.group;

import im.protocol.router.GroupChangeResponse;

/**
 * What a change of a group answers: the seq of the system message that records it in the group's
 * conversation, 0 when it changed nothing (e.g. adding members who were all in already).
 * {@code pending}: the caller asked to join an {@code APPROVAL} group and waits for the owner or an
 * admin (seq 0).
 */
public record GroupChange(long groupId, long seq, boolean pending) {

    static GroupChange of(GroupChangeResponse change) {
        return new GroupChange(change.getGroupId(), change.getSeq(), change.getPending());
    }
}

package im.client.sdk;

import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;

/**
 * A group as one of its members sees it. {@code conversationId} ({@code g:{groupId}}) names its
 * timeline for sync, read marks and receipts; {@code myRole} is the caller's role and
 * {@code joinedSeq} the seq of the caller's joining, from which it reads the timeline.
 * {@code muted}: only the owner and admins may send. An enum the server names but this client does
 * not know reads as null.
 */
public record GroupView(long groupId, String conversationId, String name, long ownerId, JoinPolicy joinPolicy,
        boolean muted, boolean dissolved, int memberCount, long createdAtMs, GroupRole myRole, long joinedSeq) {
}

package im.user.friend;

/** A request waiting for the caller's answer, with the asker's username to show. */
public record PendingRequestView(long requestId, long fromUserId, String fromUsername, long toUserId,
        FriendRequestStatus status) {
}

package im.user.friend;

/** A friend request as REST answers it after sending or accepting. */
public record FriendRequestView(long requestId, long fromUserId, long toUserId, FriendRequestStatus status) {

    static FriendRequestView of(FriendRequest request) {
        return new FriendRequestView(request.id, request.fromUserId, request.toUserId, request.status);
    }
}

package im.user.friend;

public enum FriendRequestStatus {
    PENDING,
    ACCEPTED
}

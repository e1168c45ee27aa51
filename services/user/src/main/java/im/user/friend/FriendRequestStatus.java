package im.user.friend;

public enum FriendRequestStatus {
    PENDING,
    ACCEPTED,
    /** The addressee said no; asking again makes it PENDING again (blocking is what stops that). */
    REJECTED
}

package im.client.sdk;

/**
 * A friend request; {@code status} is {@code PENDING}, {@code ACCEPTED} or {@code REJECTED}.
 * {@code fromUsername} is filled in the list of pending requests only.
 */
public record FriendRequest(long requestId, long fromUserId, String fromUsername, long toUserId, String status) {

    public FriendRequest(long requestId, long fromUserId, long toUserId, String status) {
        this(requestId, fromUserId, null, toUserId, status);
    }

    public boolean accepted() {
        return "ACCEPTED".equals(status);
    }
}

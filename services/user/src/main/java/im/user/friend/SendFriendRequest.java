package im.user.friend;

/** Body of {@code POST /friends/requests}: the addressee by id or by username (id wins). */
public record SendFriendRequest(Long toUserId, String toUsername) {
}

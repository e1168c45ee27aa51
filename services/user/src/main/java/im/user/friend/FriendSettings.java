package im.user.friend;

/**
 * Body and answer of {@code /friends/settings}. {@code acceptFriendRequests} false: every new
 * request to the user is refused (FRIEND_REQUESTS_REFUSED), as one from a user it blocked is.
 */
public record FriendSettings(Boolean acceptFriendRequests) {
}

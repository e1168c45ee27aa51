package im.user.friend;

/**
 * Body and answer of {@code /friends/settings}. {@code acceptFriendRequests} false: every new
 * request to the user is refused (FRIEND_REQUESTS_REFUSED), as one from a user it blocked is.
 * {@code showPresence} false: no friend sees the user online or when it was last seen. In a body
 * a field left out stays as it is.
 */
public record FriendSettings(Boolean acceptFriendRequests, Boolean showPresence) {
}

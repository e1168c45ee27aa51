package im.client.sdk;

/** A friend in the caller's friend list: the public profile and the caller's own remark (null for none). */
public record FriendView(long userId, String username, String displayName, String remark) {
}

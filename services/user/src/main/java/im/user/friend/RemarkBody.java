package im.user.friend;

/** Body of {@code PUT /friends/{userId}/remark}; null or empty clears the remark. */
public record RemarkBody(String remark) {
}

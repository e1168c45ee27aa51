package im.user.group;

/** Body of {@code PUT /groups/{groupId}/owner}: the member who becomes the owner. */
public record OwnerBody(Long userId) {
}

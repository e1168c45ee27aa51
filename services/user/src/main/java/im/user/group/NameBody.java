package im.user.group;

/** Body of {@code PUT /groups/{groupId}/name}: the group's new name. */
public record NameBody(String name) {
}

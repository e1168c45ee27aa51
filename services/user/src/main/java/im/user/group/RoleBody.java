package im.user.group;

/** Body of {@code PUT /groups/{groupId}/members/{userId}/role}: {@code ADMIN} or {@code MEMBER}. */
public record RoleBody(String role) {
}

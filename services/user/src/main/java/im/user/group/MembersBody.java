package im.user.group;

import java.util.List;

/** Body of {@code POST /groups/{groupId}/members}: the users to add. */
public record MembersBody(List<Long> userIds) {
}

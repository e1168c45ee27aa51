package im.user.group;

import java.util.List;

/**
 * Body of {@code POST /groups}: the name, the first members besides the caller (optional) and who
 * may bring in new members ({@code ADMINS_INVITE}, the default, {@code MEMBERS_INVITE}, {@code OPEN}
 * or {@code APPROVAL}).
 */
public record CreateGroupBody(String name, List<Long> memberIds, String joinPolicy) {
}

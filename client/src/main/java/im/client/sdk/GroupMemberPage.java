package im.client.sdk;

import java.util.List;

/**
 * One page of a group's members in user id order; when {@code hasMore}, the next page starts after
 * the last member's user id.
 */
public record GroupMemberPage(List<GroupMemberView> members, boolean hasMore) {

    public GroupMemberPage {
        members = members == null ? List.of() : List.copyOf(members);
    }
}

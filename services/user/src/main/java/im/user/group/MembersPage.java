package im.user.group;

import im.protocol.router.ListMembersResponse;
import java.util.List;

/**
 * A page of a group's members in user id order; when {@code hasMore}, the next page starts after
 * the last one's {@code userId}.
 */
public record MembersPage(List<MemberView> members, boolean hasMore) {

    static MembersPage of(ListMembersResponse page) {
        return new MembersPage(page.getMembersList().stream().map(MemberView::of).toList(), page.getHasMore());
    }
}

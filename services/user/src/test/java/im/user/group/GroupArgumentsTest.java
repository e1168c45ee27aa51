package im.user.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GroupArgumentsTest {

    @Test
    void joinPolicy_absentLeavesTheRoutersDefault_namesMapOneToOne() {
        assertEquals(JoinPolicy.JOIN_POLICY_UNSPECIFIED, GroupArguments.joinPolicy(null));
        assertEquals(JoinPolicy.ADMINS_INVITE, GroupArguments.joinPolicy("ADMINS_INVITE"));
        assertEquals(JoinPolicy.MEMBERS_INVITE, GroupArguments.joinPolicy("MEMBERS_INVITE"));
        assertEquals(JoinPolicy.OPEN, GroupArguments.joinPolicy("OPEN"));
        assertEquals(JoinPolicy.APPROVAL, GroupArguments.joinPolicy("APPROVAL"));
        assertInvalid(() -> GroupArguments.joinPolicy("open"));
        assertInvalid(() -> GroupArguments.joinPolicy("JOIN_POLICY_UNSPECIFIED"));
    }

    @Test
    void role_isAdminOrMember_ownershipMovesByItsOwnCall() {
        assertEquals(GroupRole.ADMIN, GroupArguments.role("ADMIN"));
        assertEquals(GroupRole.MEMBER, GroupArguments.role("MEMBER"));
        assertInvalid(() -> GroupArguments.role("OWNER"));
        assertInvalid(() -> GroupArguments.role(null));
    }

    @Test
    void userIds_absentIsNone_tooManyOrNullIdsAreRefused() {
        assertEquals(List.of(), GroupArguments.userIds(null, "userIds", 3));
        assertEquals(List.of(1L, 2L, 3L), GroupArguments.userIds(List.of(1L, 2L, 3L), "userIds", 3));
        assertInvalid(() -> GroupArguments.userIds(List.of(1L, 2L, 3L, 4L), "userIds", 3));
        assertInvalid(() -> GroupArguments.userIds(Arrays.asList(1L, null), "userIds", 3));
    }

    @Test
    void page_isAfterAUserId_withALimitOfOneToFiveHundred() {
        GroupArguments.page(0, 1);
        GroupArguments.page(42, GroupArguments.MAX_PAGE);
        assertInvalid(() -> GroupArguments.page(-1, 100));
        assertInvalid(() -> GroupArguments.page(0, 0));
        assertInvalid(() -> GroupArguments.page(0, GroupArguments.MAX_PAGE + 1));
    }

    @Test
    void missingBodiesAndFields_areInvalidArguments() {
        assertInvalid(() -> GroupArguments.body(null));
        assertInvalid(() -> GroupArguments.required(null, "muted"));
        assertEquals(Boolean.TRUE, GroupArguments.required(Boolean.TRUE, "muted"));
    }

    private static void assertInvalid(Executable call) {
        assertEquals(ProblemCode.INVALID_ARGUMENT, assertThrows(ProblemException.class, call).code());
    }
}

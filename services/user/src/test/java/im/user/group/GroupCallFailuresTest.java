package im.user.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** How the router's refusals and failures reach a REST caller of the group API. */
class GroupCallFailuresTest {

    @Test
    void refusalsWithAnErrorCode_becomeTheMatchingProblem_withTheRoutersReason() {
        assertProblem(ErrorCode.INVALID_ARGUMENT, ProblemCode.INVALID_ARGUMENT, 400);
        assertProblem(ErrorCode.UNAUTHENTICATED, ProblemCode.UNAUTHENTICATED, 401);
        assertProblem(ErrorCode.TOKEN_EXPIRED, ProblemCode.UNAUTHENTICATED, 401);
        assertProblem(ErrorCode.PERMISSION_DENIED, ProblemCode.PERMISSION_DENIED, 403);
        assertProblem(ErrorCode.UNKNOWN_CONVERSATION, ProblemCode.UNKNOWN_GROUP, 404);
        assertProblem(ErrorCode.UNKNOWN_USER, ProblemCode.UNKNOWN_USER, 404);
        assertProblem(ErrorCode.UNAVAILABLE, ProblemCode.UNAVAILABLE, 503);
        assertProblem(ErrorCode.INTERNAL, ProblemCode.INTERNAL, 500);
        assertProblem(ErrorCode.OUT_OF_ORDER, ProblemCode.INTERNAL, 500);
    }

    @Test
    void aRouterThatIsDownOrLate_is503() {
        ProblemException down = RouterGroups.problemOf(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());
        ProblemException late = RouterGroups.problemOf(Status.DEADLINE_EXCEEDED.asRuntimeException());

        assertEquals(ProblemCode.UNAVAILABLE, down.code());
        assertEquals("io exception", down.getMessage());
        assertEquals(ProblemCode.UNAVAILABLE, late.code());
    }

    @Test
    void otherStatusesWithoutAnErrorCode_are500() {
        assertEquals(ProblemCode.INTERNAL,
                RouterGroups.problemOf(Status.UNIMPLEMENTED.withDescription("no Groups").asRuntimeException()).code());
        assertEquals(ProblemCode.INTERNAL, RouterGroups.problemOf(Status.INTERNAL.asRuntimeException()).code());
    }

    private static void assertProblem(ErrorCode refusal, ProblemCode expected, int status) {
        ProblemException problem = RouterGroups.problemOf(GrpcErrors.error(refusal, "because " + refusal));

        assertEquals(expected, problem.code(), refusal.name());
        assertEquals(status, problem.code().status(), refusal.name());
        assertEquals("because " + refusal, problem.getMessage());
    }
}

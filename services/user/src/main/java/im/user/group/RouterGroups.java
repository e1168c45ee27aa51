package im.user.group;

import im.common.grpc.GrpcErrors;
import im.common.token.GrpcAccessTokens;
import im.protocol.router.GroupsGrpc;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The router's {@code Groups} service, called as the REST caller: every call carries the caller's
 * own access token, which the router verifies and acts for (it keeps memberships and roles; this
 * service keeps none), and a deadline. A refused or failed call becomes the caller's problem
 * answer. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class RouterGroups {

    private static final Logger LOG = Logger.getLogger(RouterGroups.class);

    @GrpcClient("router")
    GroupsGrpc.GroupsBlockingStub groups;

    private final GroupsConfig config;

    public RouterGroups(GroupsConfig config) {
        this.config = config;
    }

    /**
     * Runs {@code rpc} on a stub that acts as the holder of {@code accessToken}.
     *
     * @throws ProblemException when the router refuses the call, fails, or does not answer in time
     */
    public <T> T call(String accessToken, Function<GroupsGrpc.GroupsBlockingStub, T> rpc) {
        GroupsGrpc.GroupsBlockingStub stub = groups.withCallCredentials(GrpcAccessTokens.bearer(accessToken))
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return rpc.apply(stub);
        } catch (StatusRuntimeException e) {
            throw problemOf(e);
        }
    }

    /**
     * The problem a failed call answers: the client error code of its {@code im-error-code}
     * trailer (or, without one, the nearest code to its status), its description as the detail.
     */
    static ProblemException problemOf(StatusRuntimeException failure) {
        ProblemCode problem = switch (GrpcErrors.codeOf(failure)) {
            case INVALID_ARGUMENT -> ProblemCode.INVALID_ARGUMENT;
            case UNAUTHENTICATED, TOKEN_EXPIRED -> ProblemCode.UNAUTHENTICATED;
            case PERMISSION_DENIED -> ProblemCode.PERMISSION_DENIED;
            case UNKNOWN_CONVERSATION -> ProblemCode.UNKNOWN_GROUP;
            case UNKNOWN_USER -> ProblemCode.UNKNOWN_USER;
            // UNAVAILABLE and DEADLINE_EXCEEDED statuses without a trailer read as UNAVAILABLE too
            case UNAVAILABLE -> ProblemCode.UNAVAILABLE;
            default -> ProblemCode.INTERNAL;
        };
        if (problem == ProblemCode.INTERNAL) {
            LOG.warnf("router Groups call failed: %s", failure.getStatus());
        }
        return new ProblemException(problem, GrpcErrors.messageOf(failure));
    }
}

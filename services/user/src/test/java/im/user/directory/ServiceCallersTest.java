package im.user.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.grpc.GrpcErrors;
import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokensResource;
import im.protocol.client.ErrorCode;
import im.protocol.user.CheckSendRequest;
import im.protocol.user.CreateProfileRequest;
import im.protocol.user.GetUserRequest;
import im.protocol.user.RecordPresenceRequest;
import im.protocol.user.SetAvatarRequest;
import im.protocol.user.VisiblePresenceRequest;
import im.protocol.user.UserDirectoryGrpc;
import io.grpc.CallCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The directory answers the services its table names and nobody else: no token, a user's
 * token, a token signed with another secret, an expired one, one minted for another service and
 * one of a service not in the method's row are all refused before the method runs.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class ServiceCallersTest {

    private static final long NO_SUCH_USER = 987_654_321_987L;

    //                                                            the services each method lets in
    private static final Map<String, List<ServiceName>> TABLE = Map.of(
            "CreateProfile", List.of(ServiceName.AUTH),
            "GetUser", List.of(ServiceName.AUTH, ServiceName.ROUTER),
            "CheckSend", List.of(ServiceName.ROUTER),
            "RecordPresence", List.of(ServiceName.ROUTER),
            "VisiblePresence", List.of(ServiceName.ROUTER),
            "SetAvatar", List.of(ServiceName.ROUTER));

    private static final Map<String, Function<UserDirectoryGrpc.UserDirectoryBlockingStub, Object>> CALLS = Map.of(
            "CreateProfile", stub -> stub.createProfile(CreateProfileRequest.getDefaultInstance()),
            "GetUser", stub -> stub.getUser(GetUserRequest.newBuilder().setUserId(NO_SUCH_USER).build()),
            "CheckSend", stub -> stub.checkSend(CheckSendRequest.newBuilder().setSenderId(1).setReceiverId(NO_SUCH_USER)
                    .build()),
            "RecordPresence", stub -> stub.recordPresence(RecordPresenceRequest.newBuilder().setUserId(NO_SUCH_USER)
                    .build()),
            "VisiblePresence", stub -> stub.visiblePresence(VisiblePresenceRequest.newBuilder().setViewerId(1)
                    .addUserIds(NO_SUCH_USER).build()),
            "SetAvatar", stub -> stub.setAvatar(SetAvatarRequest.newBuilder().setUserId(NO_SUCH_USER).setBlobId("b")
                    .build()));

    @GrpcClient("directory-under-test")
    UserDirectoryGrpc.UserDirectoryBlockingStub unsigned;

    @Test
    void eachMethodAnswersExactlyTheServicesItsRowNames() {
        assertEquals(CALLS.keySet(), TABLE.keySet());
        List<String> wrong = new ArrayList<>();
        TABLE.forEach((method, allowed) -> {
            for (ServiceName caller : ServiceName.values()) {
                Status.Code answer = call(method, TestServiceTokens.as(caller, ServiceName.USER));
                boolean refused = answer == Status.Code.PERMISSION_DENIED || answer == Status.Code.UNAUTHENTICATED;
                if (refused == allowed.contains(caller)) {
                    wrong.add(method + " as " + caller + ": " + answer);
                }
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void callsWithoutAValidServiceTokenAreRefusedAsUnauthenticated() {
        Map<String, CallCredentials> impostors = TestServiceTokens.impostorsOf(ServiceName.USER);
        List<String> wrong = new ArrayList<>();
        for (String method : TABLE.keySet()) {
            impostors.forEach((who, credentials) -> {
                Status.Code answer = call(method, credentials);
                if (answer != Status.Code.UNAUTHENTICATED) {
                    wrong.add(method + " with " + who + ": " + answer);
                }
            });
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aRefusalCarriesTheClientErrorCodeAndNamesTheCaller() {
        StatusRuntimeException refusal = assertThrows(StatusRuntimeException.class,
                () -> stub(TestServiceTokens.as(ServiceName.PUSH, ServiceName.USER))
                        .checkSend(CheckSendRequest.newBuilder().setSenderId(1).setReceiverId(2).build()));
        assertEquals(ErrorCode.PERMISSION_DENIED, GrpcErrors.codeOf(refusal));
        assertEquals("permission denied: the push service may not call im.user.v1.UserDirectory/CheckSend "
                + "(its callers: router)", refusal.getStatus().getDescription());
    }

    /** The call's status: OK, or the code it failed with (the method's own refusals included). */
    private Status.Code call(String method, CallCredentials credentials) {
        try {
            CALLS.get(method).apply(stub(credentials));
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private UserDirectoryGrpc.UserDirectoryBlockingStub stub(CallCredentials credentials) {
        UserDirectoryGrpc.UserDirectoryBlockingStub stub = unsigned.withDeadlineAfter(10, TimeUnit.SECONDS);
        return credentials == null ? stub : stub.withCallCredentials(credentials);
    }
}

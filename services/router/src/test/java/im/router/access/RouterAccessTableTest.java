package im.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.access.Permissions;
import im.common.testing.AccessTables;
import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.LinkCall;
import im.protocol.router.LinkCalls;
import im.protocol.router.LinkFailure;
import im.protocol.router.LinkOutcome;
import im.protocol.router.LinkOutcomes;
import im.protocol.router.RouterLinkGrpc;
import im.protocol.router.SendRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may call what on the router's gRPC services (and the user and leaf services its test app
 * serves beside them): one table, endpoint x caller -> allow or deny. Every method the app serves
 * (from the services' descriptors) must have a row; every cell is a real gRPC call with a token of
 * that kind of caller. Allowed means any answer but an authorization refusal (UNAUTHENTICATED, or
 * PERMISSION_DENIED naming a permission): the empty requests this sends are refused by the methods
 * themselves, after the check. The REST table is auth's {@code AccessTableTest}.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterAccessTableTest {

    /** Who calls. NO_ROLE: a valid token that grants nothing. */
    enum Caller { ANONYMOUS, NO_ROLE, USER, ADMIN }

    private static final boolean Y = true;
    private static final boolean N = false;
    private static final String EXCHANGE = "im.router.v1.RouterLink/Exchange";

    //                                                           anonymous  no role  user  admin
    private static final Map<String, boolean[]> TABLE = table(
            row("im.router.v1.Router/Send",                              N, N, Y, Y),
            row("im.router.v1.Router/AckDelivery",                       N, N, Y, Y),
            row("im.router.v1.Router/Sync",                              N, N, Y, Y),
            row("im.router.v1.Router/ListConversations",                 N, N, Y, Y),
            row("im.router.v1.Router/MarkRead",                          N, N, Y, Y),
            row("im.router.v1.Router/GetReceipts",                       N, N, Y, Y),
            row("im.router.v1.Router/PageConversations",                 N, N, Y, Y),
            row("im.router.v1.Router/SetConversationSettings",           N, N, Y, Y),
            row("im.router.v1.Router/HideMessages",                      N, N, Y, Y),
            row("im.router.v1.Router/GetPresence",                       N, N, Y, Y),
            // Push's word on devices it holds: its service token only (see RouterCallers).
            row("im.router.v1.Router/DevicePresence",                    N, N, N, N),
            row("im.router.v1.Router/Typing",                            N, N, Y, Y),
            // The link's calls carry their token in the call: one row per kind of call.
            row(EXCHANGE + " send",                                      N, N, Y, Y),
            row(EXCHANGE + " ack_delivery",                              N, N, Y, Y),
            row("im.router.v1.Groups/CreateGroup",                       N, N, Y, Y),
            row("im.router.v1.Groups/AddMembers",                        N, N, Y, Y),
            row("im.router.v1.Groups/Join",                              N, N, Y, Y),
            row("im.router.v1.Groups/ListJoinRequests",                  N, N, Y, Y),
            row("im.router.v1.Groups/ApproveJoin",                       N, N, Y, Y),
            row("im.router.v1.Groups/RejectJoin",                        N, N, Y, Y),
            row("im.router.v1.Groups/Leave",                             N, N, Y, Y),
            row("im.router.v1.Groups/RemoveMembers",                     N, N, Y, Y),
            row("im.router.v1.Groups/SetRole",                           N, N, Y, Y),
            row("im.router.v1.Groups/TransferOwnership",                 N, N, Y, Y),
            row("im.router.v1.Groups/SetMembersMuted",                   N, N, Y, Y),
            row("im.router.v1.Groups/SetGroupMuted",                     N, N, Y, Y),
            row("im.router.v1.Groups/Rename",                            N, N, Y, Y),
            row("im.router.v1.Groups/Dissolve",                          N, N, Y, Y),
            row("im.router.v1.Groups/GetGroup",                          N, N, Y, Y),
            row("im.router.v1.Groups/ListMyGroups",                      N, N, Y, Y),
            row("im.router.v1.Groups/ListMembers",                       N, N, Y, Y),
            // Service-to-service: a service token of the method's callers only, never a user's;
            // see docs/architecture.md, Access control.
            row("im.leaf.v1.Leaf/NextIds",                               N, N, N, N),
            row("im.user.v1.UserDirectory/CreateProfile",                N, N, N, N),
            row("im.user.v1.UserDirectory/GetUser",                      N, N, N, N),
            row("im.user.v1.UserDirectory/CheckSend",                    N, N, N, N),
            row("im.user.v1.UserDirectory/RecordPresence",               N, N, N, N),
            row("im.user.v1.UserDirectory/VisiblePresence",              N, N, N, N),
            row("im.user.v1.UserDirectory/SetAvatar",                    N, N, N, N));

    private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
    private ManagedChannel channel;

    @BeforeAll
    void tokensAndChannel() {
        tokens.put(Caller.NO_ROLE, TestTokens.issueGranting(900_001, "table-none", Set.of(), Set.of()));
        tokens.put(Caller.USER, TestTokens.issueGranting(900_002, "table-user", Set.of("user"), Permissions.EVERYDAY));
        tokens.put(Caller.ADMIN, TestTokens.issueGranting(900_003, "table-admin", Set.of("user", "admin"),
                Permissions.ALL));
        channel = ManagedChannelBuilder.forAddress("localhost", 19004).usePlaintext().build();
    }

    @AfterAll
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void everyGrpcMethodOfTheApp_hasARow() {
        Set<String> rows = new TreeSet<>();
        TABLE.keySet().forEach(row -> rows.add(row.split(" ")[0]));
        Set<String> missing = new TreeSet<>(served().keySet());
        missing.removeAll(rows);
        assertEquals(Set.of(), missing, "methods with no row in the access table");
        Set<String> stale = new TreeSet<>(rows);
        stale.removeAll(served().keySet());
        assertEquals(Set.of(), stale, "rows naming methods this app does not serve");
    }

    @Test
    void everyMethod_allowsExactlyTheCallersItsRowAllows() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, boolean[]> row : TABLE.entrySet()) {
            for (Caller caller : Caller.values()) {
                boolean expected = row.getValue()[caller.ordinal()];
                boolean allowed = row.getKey().startsWith(EXCHANGE) ? linkAllowed(row.getKey(), caller)
                        : unaryAllowed(row.getKey(), caller);
                if (allowed != expected) {
                    wrong.add(row.getKey() + " as " + caller + ": " + (allowed ? "allowed" : "denied")
                            + ", the table says " + (expected ? "allow" : "deny"));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private boolean unaryAllowed(String fullName, Caller caller) {
        @SuppressWarnings("unchecked")
        MethodDescriptor<Object, Object> method = (MethodDescriptor<Object, Object>) served().get(fullName);
        Object request = ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
        Metadata headers = new Metadata();
        if (tokens.containsKey(caller)) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + tokens.get(caller));
        }
        Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        try {
            ClientCalls.blockingUnaryCall(withHeaders.newCall(method,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)), request);
            return true;
        } catch (StatusRuntimeException e) {
            return !refusedAccess(e.getStatus().getCode(), e.getStatus().getDescription());
        }
    }

    private boolean linkAllowed(String row, Caller caller) throws Exception {
        LinkCall.Builder call = LinkCall.newBuilder().setId(1).setToken(tokens.getOrDefault(caller, ""));
        if (row.endsWith(" send")) {
            call.setSend(SendRequest.getDefaultInstance());
        } else {
            call.setAckDelivery(AckDeliveryRequest.getDefaultInstance());
        }
        CompletableFuture<LinkOutcome> outcome = new CompletableFuture<>();
        StreamObserver<LinkCalls> calls = RouterLinkGrpc.newStub(channel).exchange(new StreamObserver<>() {
            @Override
            public void onNext(LinkOutcomes outcomes) {
                outcome.complete(outcomes.getOutcomes(0));
            }

            @Override
            public void onError(Throwable failure) {
                outcome.completeExceptionally(failure);
            }

            @Override
            public void onCompleted() {
                outcome.completeExceptionally(new IllegalStateException("link closed without an outcome"));
            }
        });
        calls.onNext(LinkCalls.newBuilder().addCalls(call).build());
        LinkOutcome answered = outcome.get(10, TimeUnit.SECONDS);
        calls.onCompleted();
        if (!answered.hasFailure()) {
            return true;
        }
        LinkFailure failure = answered.getFailure();
        return !refusedAccess(Status.fromCodeValue(failure.getStatus()).getCode(), failure.getDescription());
    }

    private static boolean refusedAccess(Status.Code code, String description) {
        return AccessTables.refusedAccess(code, description);
    }

    private static Map<String, MethodDescriptor<?, ?>> served() {
        return AccessTables.servedGrpcMethods();
    }

    private static Map.Entry<String, boolean[]> row(String method, boolean... allowed) {
        return AccessTables.row(Caller.values().length, method, allowed);
    }

    @SafeVarargs
    private static Map<String, boolean[]> table(Map.Entry<String, boolean[]>... rows) {
        return AccessTables.table(rows);
    }
}

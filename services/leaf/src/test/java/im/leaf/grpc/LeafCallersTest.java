package im.leaf.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.protocol.leaf.LeafGrpc;
import im.protocol.leaf.NextIdsRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ids go to auth and router, which create users and messages; to nobody else. */
@QuarkusTest
class LeafCallersTest {

    private static final Set<ServiceName> CALLERS = EnumSet.of(ServiceName.AUTH, ServiceName.ROUTER);

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void nextIdsAnswersAuthAndRouterAndRefusesEveryOtherService() {
        List<String> wrong = new ArrayList<>();
        for (ServiceName caller : ServiceName.values()) {
            Status.Code answer = nextIds(TestServiceTokens.as(caller, ServiceName.LEAF));
            Status.Code expected = CALLERS.contains(caller) ? Status.Code.OK : Status.Code.PERMISSION_DENIED;
            if (answer != expected) {
                wrong.add(caller + ": " + answer);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void nextIdsWithoutAValidServiceTokenIsRefusedAsUnauthenticated() {
        Map<String, CallCredentials> impostors = TestServiceTokens.impostorsOf(ServiceName.LEAF);
        List<String> wrong = new ArrayList<>();
        impostors.forEach((who, credentials) -> {
            Status.Code answer = nextIds(credentials);
            if (answer != Status.Code.UNAUTHENTICATED) {
                wrong.add(who + ": " + answer);
            }
        });
        assertEquals(List.of(), wrong);
    }

    private Status.Code nextIds(CallCredentials credentials) {
        LeafGrpc.LeafBlockingStub leaf = LeafGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        try {
            (credentials == null ? leaf : leaf.withCallCredentials(credentials))
                    .nextIds(NextIdsRequest.newBuilder().setBizTag("callers").setCount(1).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}

package im.leaf.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.protocol.client.ErrorCode;
import im.protocol.leaf.IdRange;
import im.protocol.leaf.LeafGrpc;
import im.protocol.leaf.NextIdsRequest;
import im.protocol.leaf.NextIdsResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC Leaf service of a running node, called over a real socket. */
@QuarkusTest
class LeafGrpcServiceTest {

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    private ManagedChannel channel;
    private LeafGrpc.LeafBlockingStub leaf;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        leaf = LeafGrpc.newBlockingStub(channel).withCallCredentials(TestServiceTokens.as(ServiceName.ROUTER, ServiceName.LEAF))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void concurrentCallsGetUniqueIdsIncreasingPerCaller() throws Exception {
        int threads = 8;
        int callsPerThread = 100;
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int count = 1 + t * 7;
                results.add(pool.submit(() -> {
                    long last = 0;
                    int total = 0;
                    for (int i = 0; i < callsPerThread; i++) {
                        NextIdsResponse response = leaf.nextIds(request("concurrent", count));
                        int answered = 0;
                        for (IdRange range : response.getRangesList()) {
                            assertTrue(range.getStart() > last, "ids increase");
                            for (long id = range.getStart(); id < range.getStart() + range.getCount(); id++) {
                                assertTrue(seen.add(id), "id " + id + " handed out twice");
                            }
                            last = range.getStart() + range.getCount() - 1;
                            answered += range.getCount();
                        }
                        assertEquals(count, answered);
                        total += answered;
                    }
                    return total;
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(60, TimeUnit.SECONDS);
            }
            assertEquals(total, seen.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void requestCrossingASegmentEndGetsContiguousRangesAddingUpToTheCount() {
        // Default step 1000: 1500 ids from a fresh tag span two segments.
        NextIdsResponse response = leaf.nextIds(request("crossing", 1500));

        assertEquals(2, response.getRangesCount());
        assertEquals(new IdBlockView(1, 1000), IdBlockView.of(response.getRanges(0)));
        assertEquals(1500, response.getRangesList().stream().mapToInt(IdRange::getCount).sum());
        assertTrue(response.getRanges(1).getStart() > 1000);
    }

    @Test
    void maximalCountIsServed() {
        NextIdsResponse response = leaf.nextIds(request("largest", 10_000));

        assertEquals(10_000, response.getRangesList().stream().mapToInt(IdRange::getCount).sum());
    }

    @Test
    void countOutsideOneToTenThousandIsRejected() {
        assertInvalid(request("message", 0));
        assertInvalid(request("message", -1));
        assertInvalid(request("message", 10_001));
    }

    @Test
    void malformedTagIsRejected() {
        assertInvalid(request("", 1));
        assertInvalid(request("Message", 1));
        assertInvalid(request("with space", 1));
        assertInvalid(request("x".repeat(65), 1));
    }

    @Test
    void longestAllowedTagIsServed() {
        assertEquals(1, leaf.nextIds(request("a.b-c_9" + "x".repeat(57), 1)).getRangesCount());
    }

    private void assertInvalid(NextIdsRequest request) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, () -> leaf.nextIds(request));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(failure));
    }

    private static NextIdsRequest request(String tag, int count) {
        return NextIdsRequest.newBuilder().setBizTag(tag).setCount(count).build();
    }

    record IdBlockView(long start, int count) {
        static IdBlockView of(IdRange range) {
            return new IdBlockView(range.getStart(), range.getCount());
        }
    }
}

package im.push.session;

import im.common.token.GrpcAccessTokens;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.GetReceiptsResponse;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListConversationsResponse;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.MarkReadResponse;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * {@link RouterCalls} over gRPC: every call carries the session's token as call credentials and a
 * deadline, and completes its future on a gRPC thread. The standalone app excludes it and wires
 * calls inside the process instead.
 */
@Singleton
public class GrpcRouterCalls implements RouterCalls {

    private final RouterGrpc.RouterStub router;
    private final SessionConfig config;

    // Quarkus injects blocking and Mutiny stubs only; the plain async stub is built on its channel.
    public GrpcRouterCalls(@GrpcClient("router") Channel channel, SessionConfig config) {
        this.router = RouterGrpc.newStub(channel);
        this.config = config;
    }

    @Override
    public CompletableFuture<SendResponse> send(String token, SendRequest request) {
        return call(token, (stub, answer) -> stub.send(request, answer));
    }

    @Override
    public CompletableFuture<SyncResponse> sync(String token, SyncRequest request) {
        return call(token, (stub, answer) -> stub.sync(request, answer));
    }

    @Override
    public CompletableFuture<AckDeliveryResponse> ackDelivery(String token, AckDeliveryRequest request) {
        return call(token, (stub, answer) -> stub.ackDelivery(request, answer));
    }

    @Override
    public CompletableFuture<ListConversationsResponse> listConversations(String token, ListConversationsRequest request) {
        return call(token, (stub, answer) -> stub.listConversations(request, answer));
    }

    @Override
    public CompletableFuture<MarkReadResponse> markRead(String token, MarkReadRequest request) {
        return call(token, (stub, answer) -> stub.markRead(request, answer));
    }

    @Override
    public CompletableFuture<GetReceiptsResponse> getReceipts(String token, GetReceiptsRequest request) {
        return call(token, (stub, answer) -> stub.getReceipts(request, answer));
    }

    /** One unary call as the session's user, answered on a gRPC thread. */
    private <R> CompletableFuture<R> call(String token, BiConsumer<RouterGrpc.RouterStub, StreamObserver<R>> rpc) {
        UnaryCall<R> answer = new UnaryCall<>();
        rpc.accept(as(token), answer);
        return answer;
    }

    private RouterGrpc.RouterStub as(String token) {
        return router.withCallCredentials(GrpcAccessTokens.bearer(token))
                .withDeadlineAfter(config.routerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}

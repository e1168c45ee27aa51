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
import io.quarkus.grpc.GrpcClient;
import io.grpc.Channel;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The router, as a session uses it: every call carries the session's token (the router acts as
 * that user and checks it itself) and a deadline, and completes a future on a gRPC thread.
 */
@Singleton
public class RouterCalls {

    private final RouterGrpc.RouterStub router;
    private final SessionConfig config;

    // Quarkus injects blocking and Mutiny stubs only; the plain async stub is built on its channel.
    public RouterCalls(@GrpcClient("router") Channel channel, SessionConfig config) {
        this.router = RouterGrpc.newStub(channel);
        this.config = config;
    }

    CompletableFuture<SendResponse> send(String token, SendRequest request) {
        UnaryCall<SendResponse> call = new UnaryCall<>();
        as(token).send(request, call);
        return call;
    }

    CompletableFuture<SyncResponse> sync(String token, SyncRequest request) {
        UnaryCall<SyncResponse> call = new UnaryCall<>();
        as(token).sync(request, call);
        return call;
    }

    CompletableFuture<AckDeliveryResponse> ackDelivery(String token, AckDeliveryRequest request) {
        UnaryCall<AckDeliveryResponse> call = new UnaryCall<>();
        as(token).ackDelivery(request, call);
        return call;
    }

    CompletableFuture<ListConversationsResponse> listConversations(String token, ListConversationsRequest request) {
        UnaryCall<ListConversationsResponse> call = new UnaryCall<>();
        as(token).listConversations(request, call);
        return call;
    }

    CompletableFuture<MarkReadResponse> markRead(String token, MarkReadRequest request) {
        UnaryCall<MarkReadResponse> call = new UnaryCall<>();
        as(token).markRead(request, call);
        return call;
    }

    CompletableFuture<GetReceiptsResponse> getReceipts(String token, GetReceiptsRequest request) {
        UnaryCall<GetReceiptsResponse> call = new UnaryCall<>();
        as(token).getReceipts(request, call);
        return call;
    }

    private RouterGrpc.RouterStub as(String token) {
        return router.withCallCredentials(GrpcAccessTokens.bearer(token))
                .withDeadlineAfter(config.routerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}

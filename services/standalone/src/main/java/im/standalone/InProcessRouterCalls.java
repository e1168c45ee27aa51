package im.standalone;

import im.common.token.CallerTokens;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.GetConversations;
import im.protocol.client.GetPresence;
import im.protocol.client.PresenceList;
import im.protocol.client.MessagesHidden;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.protocol.router.DevicePresenceRequest;
import im.protocol.router.DevicePresenceResponse;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.GetReceiptsResponse;
import im.protocol.router.HideMessagesRequest;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListConversationsResponse;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.MarkReadResponse;
import im.protocol.router.Router;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SetConversationSettingsRequest;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.protocol.router.TypingRequest;
import im.protocol.router.TypingResponse;
import im.push.session.RouterCalls;
import im.push.session.SessionConfig;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * The push edge calls the router in this process directly instead of through in-process gRPC.
 *
 * <p>Why: Quarkus runs an in-process gRPC server's calls on a Vert.x event loop behind its own
 * interceptors (duplicated context, request context, security, exceptions). For the router, whose
 * every call moves to its own thread pool at once, that was one more thread crossing per call and
 * a sixth of the standalone's CPU at 1,000 msgs/s (profiled), for nothing the router uses. The
 * router's service is called as gRPC would call it: as the token's holder (the router verifies the
 * token itself), with the same deadline, failing with the same status exceptions.
 */
@Singleton
public class InProcessRouterCalls implements RouterCalls {

    private final Router router;
    private final Duration deadline;
    // The calls' deadline timers. Mutiny's default scheduler kept each answered call's timer queued
    // until its deadline with what it captured (two calls a message, 10 s each): at 1,000 msgs/s G1
    // copied ~2.5 MB more survivors in every young collection (measured with gc+age). This one
    // drops a timer as soon as its call is answered.
    private final ScheduledThreadPoolExecutor deadlines;

    public InProcessRouterCalls(@GrpcService Router router, SessionConfig config) {
        this.router = router;
        this.deadline = config.routerTimeout();
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "router-call-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
    }

    @PreDestroy
    void stop() {
        deadlines.shutdownNow();
    }

    @Override
    public CompletableFuture<SendResponse> send(String token, long senderId, SendRequest request) {
        return call(token, () -> router.send(request));
    }

    @Override
    public CompletableFuture<SyncResponse> sync(String token, SyncRequest request) {
        return call(token, () -> router.sync(request));
    }

    @Override
    public CompletableFuture<AckDeliveryResponse> ackDelivery(String token, AckDeliveryRequest request) {
        return call(token, () -> router.ackDelivery(request));
    }

    @Override
    public CompletableFuture<ListConversationsResponse> listConversations(String token,
            ListConversationsRequest request) {
        return call(token, () -> router.listConversations(request));
    }

    @Override
    public CompletableFuture<MarkReadResponse> markRead(String token, MarkReadRequest request) {
        return call(token, () -> router.markRead(request));
    }

    @Override
    public CompletableFuture<GetReceiptsResponse> getReceipts(String token, GetReceiptsRequest request) {
        return call(token, () -> router.getReceipts(request));
    }

    @Override
    public CompletableFuture<ConversationPage> pageConversations(String token, GetConversations request) {
        return call(token, () -> router.pageConversations(request));
    }

    @Override
    public CompletableFuture<ConversationSettings> setConversationSettings(String token,
            SetConversationSettingsRequest request) {
        return call(token, () -> router.setConversationSettings(request));
    }

    @Override
    public CompletableFuture<MessagesHidden> hideMessages(String token, HideMessagesRequest request) {
        return call(token, () -> router.hideMessages(request));
    }

    @Override
    public CompletableFuture<TypingResponse> typing(String token, TypingRequest request) {
        return call(token, () -> router.typing(request));
    }

    @Override
    public CompletableFuture<PresenceList> getPresence(String token, GetPresence request) {
        return call(token, () -> router.getPresence(request));
    }

    /** In one process push is trusted as it is: no service token to show. */
    @Override
    public CompletableFuture<DevicePresenceResponse> devicePresence(DevicePresenceRequest request) {
        return router.devicePresence(request).subscribeAsCompletionStage();
    }

    private <R> CompletableFuture<R> call(String token, Supplier<Uni<R>> rpc) {
        // The Uni is made and subscribed in the token's context: the router's own pool takes the
        // context along to the thread that verifies the token.
        return CallerTokens.actingAs(token, () -> rpc.get()
                .ifNoItem().after(deadline).on(deadlines)
                .failWith(() -> Status.DEADLINE_EXCEEDED.withDescription("router did not answer within " + deadline)
                        .asRuntimeException())
                .subscribeAsCompletionStage());
    }
}

package im.push.session;

import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.ConversationIds;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.GetConversations;
import im.protocol.client.GetPresence;
import im.protocol.client.PresenceList;
import im.protocol.client.MessagesHidden;
import im.protocol.client.Send;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.protocol.router.DevicePresenceRequest;
import im.protocol.router.DevicePresenceResponse;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.GetReceiptsResponse;
import im.protocol.router.HideMessagesRequest;
import im.protocol.router.LinkCall;
import im.protocol.router.LinkOutcome;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListConversationsResponse;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.MarkReadResponse;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SetConversationSettingsRequest;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.protocol.router.TypingRequest;
import im.protocol.router.TypingResponse;
import im.push.router.RouterLink;
import im.push.router.RouterRing;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * {@link RouterCalls} over gRPC: every call carries the session's token and a deadline, and
 * completes its future on a gRPC thread. Sends and delivery acks, a session's steady traffic, go
 * over one {@link RouterLink} stream per router, batched with other sessions' calls; the rarer
 * calls are unary, with the token as call credentials. A call about a conversation goes to that
 * conversation's router ({@link RouterRing}); a listing goes to the router of the session's
 * token. A router that answers UNAVAILABLE is passed over for a while. The standalone app excludes
 * this class and wires calls inside the process instead.
 */
@Singleton
public class GrpcRouterCalls implements RouterCalls {

    private final RouterRing routers;
    private final SessionConfig config;
    private final ConcurrentHashMap<Channel, RouterLink> links = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines;
    private final CallCredentials asPush;

    public GrpcRouterCalls(RouterRing routers, SessionConfig config, ServiceTokens tokens) {
        this.asPush = tokens.credentials(ServiceName.PUSH, ServiceName.ROUTER);
        this.routers = routers;
        this.config = config;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "router-link-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // A deadline is enforced within a tenth of it: precise enough for a timeout of seconds.
        long sweep = Math.max(10, config.routerTimeout().toMillis() / 10);
        deadlines.scheduleWithFixedDelay(this::expireLinkCalls, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<SendResponse> send(String token, long senderId, SendRequest request) {
        Send send = request.getSend();
        String conversation = send.hasGroupId() || send.getToUserId() <= 0
                ? token // refused by the router anyway; any router will do
                : ConversationIds.privateChat(senderId, send.getToUserId());
        return linkCall(conversation, LinkCall.newBuilder().setToken(token).setSend(request))
                .thenApply(LinkOutcome::getSend);
    }

    @Override
    public CompletableFuture<SyncResponse> sync(String token, SyncRequest request) {
        return call(request.getConversationId(), token, (stub, answer) -> stub.sync(request, answer));
    }

    @Override
    public CompletableFuture<AckDeliveryResponse> ackDelivery(String token, AckDeliveryRequest request) {
        return linkCall(request.getConversationId(), LinkCall.newBuilder().setToken(token).setAckDelivery(request))
                .thenApply(LinkOutcome::getAckDelivery);
    }

    @Override
    public CompletableFuture<ListConversationsResponse> listConversations(String token, ListConversationsRequest request) {
        return call(token, token, (stub, answer) -> stub.listConversations(request, answer));
    }

    @Override
    public CompletableFuture<MarkReadResponse> markRead(String token, MarkReadRequest request) {
        return call(request.getConversationId(), token, (stub, answer) -> stub.markRead(request, answer));
    }

    @Override
    public CompletableFuture<GetReceiptsResponse> getReceipts(String token, GetReceiptsRequest request) {
        return call(request.getConversationId(), token, (stub, answer) -> stub.getReceipts(request, answer));
    }

    @Override
    public CompletableFuture<ConversationPage> pageConversations(String token, GetConversations request) {
        return call(token, token, (stub, answer) -> stub.pageConversations(request, answer));
    }

    @Override
    public CompletableFuture<ConversationSettings> setConversationSettings(String token,
            SetConversationSettingsRequest request) {
        return call(request.getSettings().getConversationId(), token,
                (stub, answer) -> stub.setConversationSettings(request, answer));
    }

    @Override
    public CompletableFuture<MessagesHidden> hideMessages(String token, HideMessagesRequest request) {
        return call(request.getHide().getConversationId(), token, (stub, answer) -> stub.hideMessages(request, answer));
    }

    @Override
    public CompletableFuture<TypingResponse> typing(String token, TypingRequest request) {
        return call(request.getTyping().getConversationId(), token, (stub, answer) -> stub.typing(request, answer));
    }

    @Override
    public CompletableFuture<PresenceList> getPresence(String token, GetPresence request) {
        return call(token, token, (stub, answer) -> stub.getPresence(request, answer));
    }

    /** To the router the user's id picks, so one router sees every change of one user. */
    @Override
    public CompletableFuture<DevicePresenceResponse> devicePresence(DevicePresenceRequest request) {
        UnaryCall<DevicePresenceResponse> answer = new UnaryCall<>();
        Channel channel;
        try {
            channel = routers.channelFor("u:" + request.getUserId());
        } catch (IllegalStateException e) {
            answer.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return answer;
        }
        RouterGrpc.newStub(channel).withCallCredentials(asPush)
                .withDeadlineAfter(config.routerTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .devicePresence(request, answer);
        return answer;
    }

    /** One call on the link to the key's router, answered on a gRPC thread. */
    private CompletableFuture<LinkOutcome> linkCall(String key, LinkCall.Builder call) {
        Channel channel;
        try {
            channel = routers.channelFor(key);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
        RouterLink link = links.computeIfAbsent(channel,
                opened -> new RouterLink(opened, closed -> links.remove(opened, closed)));
        CompletableFuture<LinkOutcome> outcome =
                link.call(call, System.nanoTime() + config.routerTimeout().toNanos());
        outcome.whenComplete((result, failure) -> passOverWhenUnavailable(channel, failure));
        return outcome;
    }

    private void expireLinkCalls() {
        long now = System.nanoTime();
        links.values().forEach(link -> link.expire(now));
    }

    private void passOverWhenUnavailable(Channel channel, Throwable failure) {
        if (failure != null && Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE) {
            routers.unavailable(channel);
        }
    }

    @PreDestroy
    void closeLinks() {
        deadlines.shutdownNow();
        links.values().forEach(RouterLink::close);
    }

    /** One unary call as the session's user to the key's router, answered on a gRPC thread. */
    private <R> CompletableFuture<R> call(String key, String token,
            BiConsumer<RouterGrpc.RouterStub, StreamObserver<R>> rpc) {
        UnaryCall<R> answer = new UnaryCall<>();
        Channel channel;
        try {
            channel = routers.channelFor(key);
        } catch (IllegalStateException e) {
            answer.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return answer;
        }
        answer.whenComplete((result, failure) -> passOverWhenUnavailable(channel, failure));
        rpc.accept(RouterGrpc.newStub(channel).withCallCredentials(GrpcAccessTokens.bearer(token))
                .withDeadlineAfter(config.routerTimeout().toMillis(), TimeUnit.MILLISECONDS), answer);
        return answer;
    }
}

package im.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.ErrorCode;
import im.protocol.client.GetConversations;
import im.protocol.client.GetPresence;
import im.protocol.client.PresenceList;
import im.protocol.client.MessagesHidden;
import im.protocol.client.SendAck;
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
import im.push.session.SessionConfig;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The push edge's direct calls answer as the gRPC ones do: the router's answer, its refusals, a deadline. */
class InProcessRouterCallsTest {

    private static final SendRequest SEND = SendRequest.newBuilder().setDeviceId("phone").build();

    @Test
    void theRoutersAnswerIsTheCallsAnswer() throws Exception {
        SendResponse stored = SendResponse.newBuilder().setAck(SendAck.newBuilder().setSeq(7)).build();
        InProcessRouterCalls calls = new InProcessRouterCalls(routerAnswering(() -> Uni.createFrom().item(stored)),
                config(Duration.ofSeconds(10)));

        assertSame(stored, calls.send("token", 1, SEND).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRefusalArrivesWithTheRoutersErrorCode() {
        InProcessRouterCalls calls = new InProcessRouterCalls(routerAnswering(() -> Uni.createFrom()
                .failure(GrpcErrors.error(ErrorCode.NOT_FRIENDS, "the receiver accepts friends only"))),
                config(Duration.ofSeconds(10)));

        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> calls.send("token", 1, SEND).get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.NOT_FRIENDS, GrpcErrors.codeOf(refused.getCause()));
    }

    @Test
    void aRouterThatDoesNotAnswerFailsTheCallAtTheDeadlineAsUnavailable() {
        InProcessRouterCalls calls = new InProcessRouterCalls(routerAnswering(() -> Uni.createFrom().nothing()),
                config(Duration.ofMillis(50)));

        ExecutionException late = assertThrows(ExecutionException.class,
                () -> calls.send("token", 1, SEND).get(10, TimeUnit.SECONDS));
        // the session answers the device UNAVAILABLE and the device resends, as after a gRPC deadline
        assertEquals(ErrorCode.UNAVAILABLE, GrpcErrors.codeOf(late.getCause()));
    }

    /** A router whose send answers {@code send}; it is asked nothing else here. */
    private static Router routerAnswering(Supplier<Uni<SendResponse>> send) {
        return new Router() {
            @Override
            public Uni<SendResponse> send(SendRequest request) {
                return send.get();
            }

            @Override
            public Uni<AckDeliveryResponse> ackDelivery(AckDeliveryRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<SyncResponse> sync(SyncRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<ListConversationsResponse> listConversations(ListConversationsRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<MarkReadResponse> markRead(MarkReadRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<GetReceiptsResponse> getReceipts(GetReceiptsRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<ConversationPage> pageConversations(GetConversations request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<MessagesHidden> hideMessages(HideMessagesRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<PresenceList> getPresence(GetPresence request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<DevicePresenceResponse> devicePresence(DevicePresenceRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<ConversationSettings> setConversationSettings(SetConversationSettingsRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<TypingResponse> typing(TypingRequest request) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static SessionConfig config(Duration routerTimeout) {
        return new SessionConfig() {
            @Override
            public Duration helloTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public int maxInFlight() {
                return 128;
            }

            @Override
            public int maxQueuedSends() {
                return 1000;
            }

            @Override
            public int maxSendsInFlight() {
                return 8;
            }

            @Override
            public Duration routerTimeout() {
                return routerTimeout;
            }

            @Override
            public int workerThreads() {
                return 4;
            }

            @Override
            public int workerQueue() {
                return 10000;
            }
        };
    }
}

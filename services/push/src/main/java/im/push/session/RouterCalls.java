package im.push.session;

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
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SetConversationSettingsRequest;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.protocol.router.TypingRequest;
import im.protocol.router.TypingResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The router, as a session uses it: every call acts as the user the session's token names (the
 * router checks the token itself) and answers a future that no thread waits on. A refusal fails
 * the future with the router's {@link io.grpc.StatusRuntimeException}; a router that does not
 * answer within {@code im.push.session.router-timeout} fails it with DEADLINE_EXCEEDED.
 */
public interface RouterCalls {

    /** A send of {@code senderId}, the token's user (named so a cluster can pick the conversation's router). */
    CompletableFuture<SendResponse> send(String token, long senderId, SendRequest request);

    CompletableFuture<SyncResponse> sync(String token, SyncRequest request);

    CompletableFuture<AckDeliveryResponse> ackDelivery(String token, AckDeliveryRequest request);

    CompletableFuture<ListConversationsResponse> listConversations(String token, ListConversationsRequest request);

    CompletableFuture<MarkReadResponse> markRead(String token, MarkReadRequest request);

    CompletableFuture<GetReceiptsResponse> getReceipts(String token, GetReceiptsRequest request);

    CompletableFuture<ConversationPage> pageConversations(String token, GetConversations request);

    CompletableFuture<MessagesHidden> hideMessages(String token, HideMessagesRequest request);

    CompletableFuture<PresenceList> getPresence(String token, GetPresence request);

    /**
     * A device of the user connected or left (the presence registry says so already): the router
     * works out whether its friends hear of it. Said by this node as the push service, not as the
     * user (a session outlives its access token).
     */
    CompletableFuture<DevicePresenceResponse> devicePresence(DevicePresenceRequest request);

    CompletableFuture<ConversationSettings> setConversationSettings(String token,
            SetConversationSettingsRequest request);

    /** A typing signal: checked and published by the conversation's router, stored nowhere. */
    CompletableFuture<TypingResponse> typing(String token, TypingRequest request);
}

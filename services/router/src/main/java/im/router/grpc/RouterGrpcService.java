package im.router.grpc;

import im.common.access.Permissions;
import im.common.token.AccessTokenVerifier;
import im.common.token.CallerTokens;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.GetConversations;
import im.protocol.client.GetPresence;
import im.protocol.client.PresenceList;
import im.protocol.client.MessagesHidden;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.DevicePresenceRequest;
import im.protocol.router.DevicePresenceResponse;
import im.protocol.router.GetReceiptsResponse;
import im.protocol.router.HideMessagesRequest;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListConversationsResponse;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.MarkReadResponse;
import im.protocol.router.Router;
import im.protocol.router.SendRequest;
import im.protocol.router.SetConversationSettingsRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.protocol.router.TypingRequest;
import im.protocol.router.TypingResponse;
import im.router.conversation.ConversationList;
import im.router.conversation.ConversationSettingsService;
import im.router.cursor.DeliveryCursors;
import im.router.message.HiddenMessages;
import im.router.presence.FriendPresence;
import im.router.cursor.ReadCursors;
import im.router.cursor.ReceiptPositions;
import im.router.send.SendService;
import im.router.sync.SyncService;
import im.router.typing.TypingSignals;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * gRPC {@code Router}. Every call acts for the user its access token names, verified here on a
 * router thread, and needs its permission (Send and Typing message:send, every other call message:read) (verification may fetch keys; the store calls are JDBC); see {@link RouterWorkers}.
 * Sends and delivery acks, the hot path, skip that crossing when nothing they check must be
 * fetched: they only hand their write to the group commit, which never blocks the caller.
 */
@GrpcService
public class RouterGrpcService implements Router {

    private final AccessTokenVerifier verifier;
    private final SendService sends;
    private final DeliveryCursors cursors;
    private final SyncService syncs;
    private final ReadCursors reads;
    private final ReceiptPositions receipts;
    private final RouterWorkers workers;
    private final ConversationList conversationList;
    private final ConversationSettingsService conversationSettings;
    private final HiddenMessages hiddenMessages;
    private final FriendPresence friendPresence;
    private final TypingSignals typings;

    public RouterGrpcService(AccessTokenVerifier verifier, SendService sends, DeliveryCursors cursors,
            SyncService syncs, ReadCursors reads, ReceiptPositions receipts, RouterWorkers workers,
            ConversationList conversationList, ConversationSettingsService conversationSettings,
            FriendPresence friendPresence, HiddenMessages hiddenMessages, TypingSignals typings) {
        this.typings = typings;
        this.hiddenMessages = hiddenMessages;
        this.friendPresence = friendPresence;
        this.conversationList = conversationList;
        this.conversationSettings = conversationSettings;
        this.workers = workers;
        this.verifier = verifier;
        this.sends = sends;
        this.cursors = cursors;
        this.syncs = syncs;
        this.reads = reads;
        this.receipts = receipts;
    }

    /**
     * A send whose checks are all at hand (its token verified before, the pair known to be allowed,
     * an id buffered) goes to the store from the calling thread; one that must wait for any of them
     * moves to a router thread. The response comes when the send's batch has committed.
     */
    @Override
    public Uni<SendResponse> send(SendRequest request) {
        VerifiedUser caller = CallerTokens.userPermittedBefore(verifier, Permissions.MESSAGE_SEND);
        Uni<SendResponse> here = caller == null ? null
                : workers.runHere(() -> sends.sendWithoutWaiting(caller, request));
        return here != null ? here
                : workers.runStage(() -> sends.send(CallerTokens.requirePermitted(verifier, Permissions.MESSAGE_SEND),
                        request));
    }

    /** An ack needs nothing but its token: from the calling thread once the token verified before. */
    @Override
    public Uni<AckDeliveryResponse> ackDelivery(AckDeliveryRequest request) {
        VerifiedUser caller = CallerTokens.userPermittedBefore(verifier, Permissions.MESSAGE_READ);
        if (caller != null) {
            return workers.runHere(() -> cursors.ack(caller, request));
        }
        return workers.runStage(() -> cursors.ack(reader(), request));
    }

    @Override
    public Uni<SyncResponse> sync(SyncRequest request) {
        return workers.run(() -> syncs.sync(reader(), request));
    }

    @Override
    public Uni<ListConversationsResponse> listConversations(ListConversationsRequest request) {
        return workers.run(() -> syncs.listConversations(reader(), request));
    }

    @Override
    public Uni<MarkReadResponse> markRead(MarkReadRequest request) {
        return workers.runStage(() -> reads.markRead(reader(), request));
    }

    @Override
    public Uni<GetReceiptsResponse> getReceipts(GetReceiptsRequest request) {
        return workers.run(() -> receipts.receipts(reader(), request));
    }

    @Override
    public Uni<ConversationPage> pageConversations(GetConversations request) {
        return workers.run(() -> conversationList.page(reader(), request));
    }

    @Override
    public Uni<ConversationSettings> setConversationSettings(SetConversationSettingsRequest request) {
        return workers.runStage(() -> conversationSettings.set(reader(), request));
    }

    @Override
    public Uni<MessagesHidden> hideMessages(HideMessagesRequest request) {
        return workers.runStage(() -> hiddenMessages.hide(reader(), request));
    }

    /** Checked as a send to the conversation would be (message:send, may send there); writes nothing. */
    @Override
    public Uni<TypingResponse> typing(TypingRequest request) {
        return workers.run(() -> typings.signal(CallerTokens.requirePermitted(verifier, Permissions.MESSAGE_SEND),
                request));
    }

    @Override
    public Uni<PresenceList> getPresence(GetPresence request) {
        return workers.run(() -> friendPresence.presenceOf(reader(), request));
    }

    /** Push's word, checked by its service token (RouterCallers): no user token here. */
    @Override
    public Uni<DevicePresenceResponse> devicePresence(DevicePresenceRequest request) {
        return workers.run(() -> {
            friendPresence.deviceChanged(request.getUserId());
            return DevicePresenceResponse.getDefaultInstance();
        });
    }

    /** The caller, verified on this (worker) thread, when it may read its conversations. */
    private VerifiedUser reader() {
        return CallerTokens.requirePermitted(verifier, Permissions.MESSAGE_READ);
    }
}

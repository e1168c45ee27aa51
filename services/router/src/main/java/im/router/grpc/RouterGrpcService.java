package im.router.grpc;

import im.common.token.AccessTokenVerifier;
import im.common.token.CallerTokens;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.GetReceiptsResponse;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListConversationsResponse;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.MarkReadResponse;
import im.protocol.router.Router;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.router.cursor.DeliveryCursors;
import im.router.cursor.ReadCursors;
import im.router.cursor.ReceiptPositions;
import im.router.send.SendService;
import im.router.sync.SyncService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * gRPC {@code Router}. Every call acts for the user its access token names, verified here on a
 * router thread (verification may fetch keys; the store calls are JDBC); see {@link RouterWorkers}.
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

    public RouterGrpcService(AccessTokenVerifier verifier, SendService sends, DeliveryCursors cursors,
            SyncService syncs, ReadCursors reads, ReceiptPositions receipts, RouterWorkers workers) {
        this.workers = workers;
        this.verifier = verifier;
        this.sends = sends;
        this.cursors = cursors;
        this.syncs = syncs;
        this.reads = reads;
        this.receipts = receipts;
    }

    @Override
    public Uni<SendResponse> send(SendRequest request) {
        // Checked on a router thread; the response comes when the send's batch has committed.
        return workers.runStage(() -> sends.send(CallerTokens.requireUser(verifier), request));
    }

    @Override
    public Uni<AckDeliveryResponse> ackDelivery(AckDeliveryRequest request) {
        return workers.runStage(() -> cursors.ack(CallerTokens.requireUser(verifier), request));
    }

    @Override
    public Uni<SyncResponse> sync(SyncRequest request) {
        return workers.run(() -> syncs.sync(CallerTokens.requireUser(verifier), request));
    }

    @Override
    public Uni<ListConversationsResponse> listConversations(ListConversationsRequest request) {
        return workers.run(() -> syncs.listConversations(CallerTokens.requireUser(verifier), request));
    }

    @Override
    public Uni<MarkReadResponse> markRead(MarkReadRequest request) {
        return workers.run(() -> reads.markRead(CallerTokens.requireUser(verifier), request));
    }

    @Override
    public Uni<GetReceiptsResponse> getReceipts(GetReceiptsRequest request) {
        return workers.run(() -> receipts.receipts(CallerTokens.requireUser(verifier), request));
    }
}

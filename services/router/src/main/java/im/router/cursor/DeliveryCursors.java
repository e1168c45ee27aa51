package im.router.cursor;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ErrorCode;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.router.conversation.ConversationAccess;
import im.router.conversation.ConversationRepository;
import im.router.conversation.StoredSeqs;
import im.router.routing.DeliveryRouting;
import im.router.store.GroupCommit;
import im.router.store.RouterStore;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * AckDelivery: a device says it holds a conversation up to a seq. Moves the device's cursor and
 * the member's (the highest of the user's device cursors); when the member's moved, the other
 * members hear of it. Acks are stored by group commit (see {@link AckBatch}).
 */
@ApplicationScoped
public class DeliveryCursors {

    private static final Logger LOG = Logger.getLogger(DeliveryCursors.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Shards shards;
    // By shard number: each shard's writer moves the cursors of its conversations.
    private final List<GroupCommit.Lane<AckBatch.Ack, AckBatch.Acked>> stores;

    public DeliveryCursors(ConversationRepository conversations, StoredSeqs storedSeqs,
            DeliveryCursorRepository cursors, MemberCursorRepository members, DeliveryRouting routing,
            CursorConfig config, Shards shards) {
        this.shards = shards;
        AckBatch batch = new AckBatch(conversations, storedSeqs, cursors, members, routing);
        this.stores = shards.all().stream()
                .map(shard -> shard.groupCommit().lane("delivery-acks", RouterStore.DELIVERY_ACKS_RANK, batch,
                        config.batchSize(), config.queue(), config.linger()))
                .toList();
    }

    /**
     * Checks the ack here and answers a stage that completes once the cursors moved and committed,
     * in a batch with other acks. Never blocks: an event loop may call it.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT or UNKNOWN_CONVERSATION; UNAVAILABLE while
     *     the conversation moves between shards
     */
    public CompletionStage<AckDeliveryResponse> ack(VerifiedUser caller, AckDeliveryRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        if (request.getSeq() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "seq must not be negative");
        }
        List<Long> memberIds = ConversationAccess.requireMember(request.getConversationId(), caller.userId());
        var device = new DeliveryCursorRepository.DeviceConversation(
                caller.userId(), request.getDeviceId(), request.getConversationId());
        int shard = shards.forWrite(request.getConversationId()).index();
        return stores.get(shard).submit(new AckBatch.Ack(device, request.getSeq(), memberIds))
                .handle((acked, failure) -> {
                    if (failure != null) {
                        LOG.debugf(failure, "Delivery cursor update failed");
                        throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
                    }
                    return AckDeliveryResponse.newBuilder().setLastAckSeq(acked.deviceCursor()).build();
                });
    }
}

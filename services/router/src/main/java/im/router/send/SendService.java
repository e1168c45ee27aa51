package im.router.send;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.router.conversation.ConversationRepository;
import im.router.conversation.StoredSeqs;
import im.router.cursor.MemberCursorRepository;
import im.router.group.GroupRepository;
import im.router.group.GroupRosters;
import im.router.ids.IdBuffer;
import im.router.ids.MessageIds;
import im.router.media.BlobRepository;
import im.router.message.MentionRepository;
import im.router.message.MessageRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.GroupCommit;
import im.router.store.RouterStore;
import im.router.store.Shards;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The send path: validate, ask whether the sender may send, take a msg id, then hand the send to
 * the message store's group commit, which (in one transaction with other sends) answers a repeat
 * with the stored message, checks the device's send number and stores the message with the
 * conversation's next seq. The ack is answered and the message published only after the commit.
 */
@ApplicationScoped
public class SendService {

    private static final Logger LOG = Logger.getLogger(SendService.class);

    // Printable ASCII: UUIDs and any sane key fit, and the column never meets a charset question.
    private static final Pattern CLIENT_MSG_ID = Pattern.compile("[\\x21-\\x7E]{1,64}");
    private static final long TO_GROUP = 0;
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final SendConfig config;
    private final Shards shards;
    private final MessageRepository messages;
    private final MessageIds ids;
    private final SendPermissions permissions;
    // By shard number: each shard's writer stores the sends of its conversations.
    private final List<GroupCommit.Lane<SendBatch.ToStore, SendBatch.Outcome>> stores;

    public SendService(SendConfig config, Shards shards, ConversationRepository conversations,
            StoredSeqs storedSeqs, MessageRepository messages, MessageIds ids, DeliveryRouting routing,
            SendSequenceRepository sequences, StoredClientSeqs storedClientSeqs, SendPermissions permissions,
            GroupRepository groups, GroupRosters rosters, MemberCursorRepository members, MentionRepository mentions,
            ChangeRules changes, BlobRepository blobs) {
        this.config = config;
        this.shards = shards;
        this.messages = messages;
        this.ids = ids;
        this.permissions = permissions;
        SendBatch batch = new SendBatch(conversations, storedSeqs, messages, sequences, storedClientSeqs, routing,
                groups, rosters, members, mentions, changes, blobs);
        this.stores = shards.all().stream()
                .map(shard -> shard.groupCommit().lane("sends", RouterStore.SENDS_RANK, batch, config.batchSize(),
                        config.queue()))
                .toList();
    }

    /**
     * Checks the send here (blocking: call from a worker thread) and answers a stage that completes
     * once the send is stored, or found stored before, or refused for its number.
     *
     * @throws StatusRuntimeException when the send is refused before it reaches the store
     */
    public CompletionStage<SendResponse> send(VerifiedUser caller, SendRequest request) {
        long receiverId = validate(caller, request);
        Send send = request.getSend();
        if (receiverId == TO_GROUP) {
            return store(caller, request, receiverId, ids.next());
        }
        try {
            permissions.require(caller.userId(), receiverId);
        } catch (StatusRuntimeException refused) {
            // A resend of a message stored before the refusal (say, before the friendship ended)
            // still gets its original ack.
            return storedUnder(caller.userId(), ConversationIds.privateChat(caller.userId(), receiverId),
                    send.getClientMsgId())
                    .map(stored -> CompletableFuture.completedStage(duplicate(stored)))
                    .orElseThrow(() -> refused);
        }
        return store(caller, request, receiverId, ids.next());
    }

    /**
     * {@link #send} when everything it checks is at hand: the pair known to be allowed and a msg id
     * buffered. Never blocks (an event loop may call it); answers null when the send would have
     * to wait, and the caller then calls {@link #send} from a worker thread.
     *
     * @throws StatusRuntimeException when the send is invalid
     */
    public CompletionStage<SendResponse> sendWithoutWaiting(VerifiedUser caller, SendRequest request) {
        long receiverId = validate(caller, request);
        if (receiverId != TO_GROUP && !permissions.allowedWithoutAsking(caller.userId(), receiverId)) {
            return null;
        }
        long msgId = ids.nextIfBuffered();
        return msgId == IdBuffer.NONE ? null : store(caller, request, receiverId, msgId);
    }

    private CompletionStage<SendResponse> store(VerifiedUser caller, SendRequest request, long receiverId,
            long msgId) {
        Send send = request.getSend();
        String conversationId = receiverId == TO_GROUP ? ConversationIds.group(send.getGroupId())
                : ConversationIds.privateChat(caller.userId(), receiverId);
        // Refused while the conversation moves between shards, before anything is queued.
        int shard = shards.forWrite(conversationId).index();
        Message.Builder message = Message.newBuilder()
                .setMsgId(msgId)
                .setConversationId(conversationId)
                .setSenderId(caller.userId())
                .setSenderDeviceId(request.getDeviceId())
                .setClientMsgId(send.getClientMsgId())
                .setBody(send.getBody())
                .addAllMentions(ContentRules.mentionsOf(send, caller.userId()));
        if (send.hasContent()) {
            message.setContent(send.getContent());
        }
        if (send.hasChange()) {
            // The target's msg id is the server's to fill in, from the stored target.
            message.setChange(send.getChange().toBuilder().clearTargetMsgId());
        }
        return stores.get(shard).submit(new SendBatch.ToStore(message.build(), receiverId, send.getClientSeq()))
                .handle((outcome, failure) -> {
                    if (failure != null) {
                        throw notStored(failure);
                    }
                    return answer(outcome, send);
                });
    }

    private static SendResponse answer(SendBatch.Outcome outcome, Send send) {
        if (outcome.duplicate()) {
            return duplicate(outcome.message());
        }
        if (outcome.message() != null) {
            return SendResponse.newBuilder().setAck(ackOf(outcome.message())).build();
        }
        if (outcome.refusal() != null) {
            throw GrpcErrors.error(outcome.refusalCode(), outcome.refusal());
        }
        throw GrpcErrors.outOfOrder(outcome.expectedClientSeq(), "client_seq " + send.getClientSeq()
                + " is not the next send of this device; expected " + outcome.expectedClientSeq());
    }

    private static StatusRuntimeException notStored(Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof GroupCommit.NotStored notStored && notStored.busy()) {
            // Not the worker pool's "router busy": an operator reading a client's errors can tell
            // a full send queue (the writer behind) from a full pool (sends waiting for checks).
            return GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store busy, retry later");
        }
        return GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
    }

    /**
     * The receiver's id once the request is acceptable; {@link #TO_GROUP} for a send to a group,
     * which the store checks against the group's members.
     */
    private long validate(VerifiedUser caller, SendRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw invalid("device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        if (!request.hasSend()) {
            throw invalid("send is required");
        }
        Send send = request.getSend();
        if (!CLIENT_MSG_ID.matcher(send.getClientMsgId()).matches()) {
            throw invalid("client_msg_id must be 1..64 printable ASCII characters");
        }
        if (send.getClientSeq() < 0) {
            throw invalid("client_seq must not be negative");
        }
        ContentRules.check(send, config);
        return switch (send.getTargetCase()) {
            case GROUP_ID -> {
                if (send.getGroupId() <= 0) {
                    throw invalid("group_id must be positive");
                }
                yield TO_GROUP;
            }
            case TO_USER_ID -> {
                long to = send.getToUserId();
                if (to <= 0) {
                    throw invalid("to_user_id must be positive");
                }
                if (to == caller.userId()) {
                    throw invalid("cannot send to yourself");
                }
                for (long mentioned : send.getMentionsList()) {
                    if (mentioned != to && mentioned != caller.userId()) {
                        throw invalid("mentions must name members of the conversation");
                    }
                }
                yield to;
            }
            default -> throw invalid("to_user_id or group_id is required");
        };
    }

    /** A send's stored message, looked up on its conversation's shard, where its resends are stored. */
    private Optional<Message> storedUnder(long senderId, String conversationId, String clientMsgId) {
        try {
            return shards.of(conversationId).transactions()
                    .read(connection -> messages.findByClientMsgId(connection, senderId, clientMsgId));
        } catch (SQLException e) {
            LOG.errorf(e, "Dedupe lookup failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
    }

    private static SendResponse duplicate(Message stored) {
        return SendResponse.newBuilder().setAck(ackOf(stored)).setDuplicate(true).build();
    }

    private static SendAck ackOf(Message message) {
        return SendAck.newBuilder()
                .setClientMsgId(message.getClientMsgId())
                .setMsgId(message.getMsgId())
                .setConversationId(message.getConversationId())
                .setSeq(message.getSeq())
                .setCreatedAtMs(message.getCreatedAtMs())
                .build();
    }

    private static StatusRuntimeException invalid(String message) {
        return GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, message);
    }
}

package im.router.send;

import com.google.protobuf.ByteString;
import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.user.CheckSendRequest;
import im.protocol.user.CheckSendResponse;
import im.protocol.user.UserDirectoryGrpc;
import im.router.conversation.ConversationRepository;
import im.router.ids.MessageIds;
import im.router.message.MessageRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.Transactions;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The send path: validate, ask the user service, dedupe, then store the message with the
 * conversation's next seq in one transaction, and only after the commit answer and publish.
 * Blocking throughout: call it from a worker thread.
 */
@ApplicationScoped
public class SendService {

    private static final Logger LOG = Logger.getLogger(SendService.class);

    // Printable ASCII: UUIDs and any sane key fit, and the column never meets a charset question.
    private static final Pattern CLIENT_MSG_ID = Pattern.compile("[\\x21-\\x7E]{1,64}");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private final SendConfig config;
    private final Transactions transactions;
    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final MessageIds ids;
    private final DeliveryRouting routing;

    public SendService(SendConfig config, Transactions transactions, ConversationRepository conversations,
            MessageRepository messages, MessageIds ids, DeliveryRouting routing) {
        this.config = config;
        this.transactions = transactions;
        this.conversations = conversations;
        this.messages = messages;
        this.ids = ids;
        this.routing = routing;
    }

    public SendResponse send(VerifiedUser caller, SendRequest request) {
        long receiverId = validate(caller, request);
        Send send = request.getSend();
        Optional<Message> stored = storedUnder(caller.userId(), send.getClientMsgId());
        if (stored.isPresent()) {
            return duplicate(stored.get());
        }
        checkSend(caller.userId(), receiverId);
        Message message = Message.newBuilder()
                .setMsgId(ids.next())
                .setConversationId(ConversationIds.privateChat(caller.userId(), receiverId))
                .setSenderId(caller.userId())
                .setSenderDeviceId(request.getDeviceId())
                .setClientMsgId(send.getClientMsgId())
                .setBody(send.getBody())
                .build();
        Optional<Message> committed = store(message, receiverId);
        if (committed.isEmpty()) {
            // A racing send with the same client_msg_id committed first: answer what it stored.
            return duplicate(storedUnder(caller.userId(), send.getClientMsgId())
                    .orElseThrow(() -> GrpcErrors.error(ErrorCode.INTERNAL, "message store conflict")));
        }
        routing.publish(committed.get(), receiverId);
        return SendResponse.newBuilder().setAck(ackOf(committed.get())).build();
    }

    /** The receiver's id once the request is acceptable. */
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
        ByteString body = send.getBody();
        if (body.isEmpty() || body.size() > config.maxBodyBytes()) {
            throw invalid("body must be 1.." + config.maxBodyBytes() + " bytes");
        }
        return switch (send.getTargetCase()) {
            case GROUP_ID -> throw invalid("groups are not supported yet");
            case TO_USER_ID -> {
                long to = send.getToUserId();
                if (to <= 0) {
                    throw invalid("to_user_id must be positive");
                }
                if (to == caller.userId()) {
                    throw invalid("cannot send to yourself");
                }
                yield to;
            }
            default -> throw invalid("to_user_id is required");
        };
    }

    private void checkSend(long senderId, long receiverId) {
        CheckSendResponse.Decision decision;
        try {
            decision = users.withDeadlineAfter(config.checkTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .checkSend(CheckSendRequest.newBuilder().setSenderId(senderId).setReceiverId(receiverId).build())
                    .getDecision();
        } catch (StatusRuntimeException e) {
            LOG.warnf("CheckSend failed: %s", e.getStatus());
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "user directory unavailable");
        }
        switch (decision) {
            case ALLOWED -> {
            }
            case UNKNOWN_USER -> throw GrpcErrors.error(ErrorCode.UNKNOWN_USER, "no user " + receiverId);
            case NOT_FRIENDS -> throw GrpcErrors.error(ErrorCode.NOT_FRIENDS, "the receiver accepts friends only");
            default -> throw GrpcErrors.error(ErrorCode.INTERNAL, "user directory answered " + decision);
        }
    }

    /**
     * Stores the message with the conversation's next seq and both members, in one transaction.
     * Empty when the sender's client_msg_id turned out to be stored already (the transaction was
     * rolled back and stored nothing).
     */
    private Optional<Message> store(Message message, long receiverId) {
        for (int attempt = 1;; attempt++) {
            try {
                return Optional.of(transactions.write(connection -> {
                    long now = System.currentTimeMillis();
                    String conversationId = message.getConversationId();
                    long seq = conversations.nextSeq(connection, conversationId, now);
                    Message stored = message.toBuilder().setSeq(seq).setCreatedAtMs(now).build();
                    messages.insert(connection, stored);
                    conversations.addMember(connection, conversationId, message.getSenderId(), now);
                    conversations.addMember(connection, conversationId, receiverId, now);
                    return stored;
                }));
            } catch (SQLException e) {
                if (Transactions.isUniqueViolation(e)) {
                    return Optional.empty();
                }
                if (Transactions.isTransient(e) && attempt < config.storeAttempts()) {
                    continue;
                }
                LOG.errorf(e, "Storing message %d failed", message.getMsgId());
                throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
            }
        }
    }

    private Optional<Message> storedUnder(long senderId, String clientMsgId) {
        try {
            return transactions.read(connection -> messages.findByClientMsgId(connection, senderId, clientMsgId));
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

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
 * The send path: validate, dedupe, ask the user service, then in one transaction check the
 * device's send number and store the message with the conversation's next seq; only after the
 * commit answer and publish.
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
    private final SendSequenceRepository sequences;

    public SendService(SendConfig config, Transactions transactions, ConversationRepository conversations,
            MessageRepository messages, MessageIds ids, DeliveryRouting routing, SendSequenceRepository sequences) {
        this.config = config;
        this.transactions = transactions;
        this.conversations = conversations;
        this.messages = messages;
        this.ids = ids;
        this.routing = routing;
        this.sequences = sequences;
    }

    public SendResponse send(VerifiedUser caller, SendRequest request) {
        long receiverId = validate(caller, request);
        Send send = request.getSend();
        // A repeat is answered before its number is looked at: a resend after a lost ack must get
        // the original ack even though the device's number has moved past it.
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
        Stored outcome = store(message, receiverId, send.getClientSeq());
        if (outcome.message() != null) {
            routing.publish(outcome.message(), receiverId);
            return SendResponse.newBuilder().setAck(ackOf(outcome.message())).build();
        }
        // Nothing stored. A racing send with the same client_msg_id may have committed first (its
        // number then looks used): answer what it stored. Otherwise the number was not the next.
        Optional<Message> raced = storedUnder(caller.userId(), send.getClientMsgId());
        if (raced.isPresent()) {
            return duplicate(raced.get());
        }
        if (outcome.expectedClientSeq() > 0) {
            throw GrpcErrors.outOfOrder(outcome.expectedClientSeq(), "client_seq " + send.getClientSeq()
                    + " is not the next send of this device; expected " + outcome.expectedClientSeq());
        }
        throw GrpcErrors.error(ErrorCode.INTERNAL, "message store conflict");
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
        if (send.getClientSeq() < 0) {
            throw invalid("client_seq must not be negative");
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
     * Stores the message with the conversation's next seq and both members, in one transaction,
     * once a numbered send proved to be the device's next one. Nothing is stored (and no seq
     * taken) when the client_msg_id turned out to be stored already or the number is not the next.
     */
    private Stored store(Message message, long receiverId, long clientSeq) {
        for (int attempt = 1;; attempt++) {
            try {
                return Stored.of(transactions.write(connection -> {
                    long now = System.currentTimeMillis();
                    String conversationId = message.getConversationId();
                    if (SendOrder.isNumbered(clientSeq)) {
                        // Locked before the conversation's seq, so a refused send holds no seq lock
                        // and two sends of one device are ordered here.
                        var device = new SendSequenceRepository.DeviceSends(
                                message.getSenderId(), message.getSenderDeviceId(), conversationId);
                        long last = sequences.lockLast(connection, device, now);
                        if (!SendOrder.accepts(last, clientSeq)) {
                            throw new OutOfOrderSend(SendOrder.expectedAfter(last));
                        }
                        sequences.setLast(connection, device, clientSeq, now);
                    }
                    long seq = conversations.nextSeq(connection, conversationId, now);
                    Message stored = message.toBuilder().setSeq(seq).setCreatedAtMs(now).build();
                    messages.insert(connection, stored);
                    if (seq == 1) {
                        // The first message creates the private conversation: its two members are
                        // recorded once, in the same transaction, not again with every send.
                        conversations.addMember(connection, conversationId, message.getSenderId(), now);
                        conversations.addMember(connection, conversationId, receiverId, now);
                    }
                    return stored;
                }));
            } catch (OutOfOrderSend e) {
                return Stored.outOfOrder(e.expected);
            } catch (SQLException e) {
                if (Transactions.isUniqueViolation(e)) {
                    return Stored.alreadyStored();
                }
                if (Transactions.isTransient(e) && attempt < config.storeAttempts()) {
                    continue;
                }
                LOG.errorf(e, "Storing message %d failed", message.getMsgId());
                throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
            }
        }
    }

    /**
     * What the store transaction did: stored {@code message}, or stored nothing because the
     * client_msg_id was taken ({@code expectedClientSeq} 0) or the number was not the next one.
     */
    private record Stored(Message message, long expectedClientSeq) {
        static Stored of(Message message) {
            return new Stored(message, 0);
        }

        static Stored alreadyStored() {
            return new Stored(null, 0);
        }

        static Stored outOfOrder(long expectedClientSeq) {
            return new Stored(null, expectedClientSeq);
        }
    }

    /** Rolls the store transaction back when a numbered send is not the next one. */
    private static final class OutOfOrderSend extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long expected;

        OutOfOrderSend(long expected) {
            super("out of order", null, false, false);
            this.expected = expected;
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

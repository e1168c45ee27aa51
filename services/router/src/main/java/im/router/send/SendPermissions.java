package im.router.send;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import im.protocol.user.CheckSendRequest;
import im.protocol.user.CheckSendResponse;
import im.protocol.user.UserDirectoryGrpc;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether a user may send to another, as the user service decides (friends only). An allowed pair
 * is remembered for {@code im.router.send.allowed-ttl}: a chat sends many messages between the
 * same two users, and asking the user service for each one cost a call per message. A refusal is
 * never remembered, so a new friendship counts at once.
 */
@ApplicationScoped
public class SendPermissions {

    private static final Logger LOG = Logger.getLogger(SendPermissions.class);

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private final SendConfig config;
    private final Cache<SendPair, Boolean> allowed;

    public SendPermissions(SendConfig config) {
        this.config = config;
        this.allowed = Caffeine.newBuilder()
                .maximumSize(config.allowedCacheSize())
                .expireAfterWrite(config.allowedTtl())
                .build();
    }

    /**
     * Returns when the sender may send to the receiver.
     *
     * @throws StatusRuntimeException UNKNOWN_USER or NOT_FRIENDS when not; UNAVAILABLE when the
     *     user service cannot answer
     */
    public void require(long senderId, long receiverId) {
        SendPair pair = new SendPair(senderId, receiverId);
        if (allowed.getIfPresent(pair) != null) {
            return;
        }
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
            case ALLOWED -> allowed.put(pair, Boolean.TRUE);
            case UNKNOWN_USER -> throw GrpcErrors.error(ErrorCode.UNKNOWN_USER, "no user " + receiverId);
            case NOT_FRIENDS -> throw GrpcErrors.error(ErrorCode.NOT_FRIENDS, "the receiver accepts friends only");
            default -> throw GrpcErrors.error(ErrorCode.INTERNAL, "user directory answered " + decision);
        }
    }

    private record SendPair(long senderId, long receiverId) {
    }
}

package im.router.send;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import im.protocol.user.CheckSendRequest;
import im.protocol.user.CheckSendResponse.Decision;
import im.protocol.user.UserDirectoryGrpc;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Whether a user may send to another, as the user service decides (friends only). An allowed pair
 * is remembered for {@code im.router.send.allowed-ttl}: a chat sends many messages between the
 * same two users, and asking the user service for each one cost a call per message. A refusal is
 * never remembered, so a new friendship counts at once.
 *
 * <p>A pair still in use is asked about again in the background once half its time is gone, and
 * the send goes on meanwhile; a pair that is no longer allowed is forgotten then. Without this,
 * every pair that started together expired together: on a loaded node all its chats asked the
 * user service in the same moment, once a minute, and the sends behind those calls waited
 * (measured: one-way latency 50-230 ms for a second, 60 s into every run).
 */
@ApplicationScoped
public class SendPermissions {

    private static final Logger LOG = Logger.getLogger(SendPermissions.class);

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private final SendConfig config;
    private final LoadingCache<SendPair, Boolean> allowed;
    private final Function<SendPair, Decision> ask;
    private final ExecutorService ownRefresher;

    @Inject
    public SendPermissions(SendConfig config) {
        this.config = config;
        this.ask = this::checkSend;
        this.ownRefresher = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "router-send-permission-refresh");
            thread.setDaemon(true);
            return thread;
        });
        this.allowed = cache(config, Ticker.systemTicker(), ownRefresher);
    }

    /** For tests: decisions from {@code ask}, time from {@code ticker}, refreshes on {@code refresher}. */
    SendPermissions(SendConfig config, Function<SendPair, Decision> ask, Ticker ticker, Executor refresher) {
        this.config = config;
        this.ask = ask;
        this.ownRefresher = null;
        this.allowed = cache(config, ticker, refresher);
    }

    private LoadingCache<SendPair, Boolean> cache(SendConfig config, Ticker ticker, Executor refresher) {
        return Caffeine.newBuilder()
                .maximumSize(config.allowedCacheSize())
                .expireAfterWrite(config.allowedTtl())
                .refreshAfterWrite(config.allowedTtl().dividedBy(2))
                .ticker(ticker)
                .executor(refresher)
                // Only a refresh loads: null forgets a pair no longer allowed; a failure keeps it
                // until it expires.
                .build(pair -> ask.apply(pair) == Decision.ALLOWED ? Boolean.TRUE : null);
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
        Decision decision;
        try {
            decision = ask.apply(pair);
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

    private Decision checkSend(SendPair pair) {
        return users.withDeadlineAfter(config.checkTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .checkSend(CheckSendRequest.newBuilder().setSenderId(pair.senderId()).setReceiverId(pair.receiverId())
                        .build())
                .getDecision();
    }

    @PreDestroy
    void stop() {
        if (ownRefresher != null) {
            ownRefresher.shutdownNow();
        }
    }

    record SendPair(long senderId, long receiverId) {
    }
}

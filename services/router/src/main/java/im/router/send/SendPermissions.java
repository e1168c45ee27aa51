package im.router.send;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import im.common.friendship.FriendshipEndingListener;
import im.common.friendship.FriendshipEndings;
import im.common.grpc.GrpcErrors;
import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.protocol.client.ErrorCode;
import im.protocol.user.CheckSendRequest;
import im.protocol.user.CheckSendResponse.Decision;
import im.protocol.user.UserDirectoryGrpc;
import io.grpc.CallCredentials;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Whether a user may send to another, as the user service decides (friends only). An allowed pair
 * is remembered for {@code im.router.send.allowed-ttl}: a chat sends many messages between the
 * same two users, and asking the user service for each one cost a call per message. A refusal is
 * never remembered, so a new friendship counts at once.
 *
 * <p>A pair still in use is asked about again in the background after a quarter to half of its
 * time, a different moment for each pair, and its sends go on meanwhile; a pair that is no longer
 * allowed is forgotten then. Without the background question every pair that started together
 * expired together: on a loaded node all its chats asked the user service in the same moment once
 * a minute, and the sends behind those calls waited (one-way latency 50-230 ms for a second, 60 s
 * into every benchmark run). Without the spread the background questions still came in one burst
 * (a core's worth of work for a moment, 40-580 ms stalls every 30 s on two cores).
 *
 * <p>A friendship that ends (a removal, a block) must bite at once, not at the pair's next
 * background question: the user service tells every router after its commit
 * ({@link FriendshipEndings}), and the pair is forgotten in both directions, so the next send asks
 * again and is refused. When notices may have been missed (the channel came up, or back), every
 * pair is forgotten; so the router listens from its start ({@code @Startup}), not from its first
 * send. A question under way while a friendship ends may bring back the answer read
 * before the end; its answer is not kept when any ending arrived since it was asked.
 */
@ApplicationScoped
@Startup
public class SendPermissions {

    private static final Logger LOG = Logger.getLogger(SendPermissions.class);

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    FriendshipEndings endings;

    private final SendConfig config;
    private final Cache<SendPair, Allowed> allowed;
    private final Function<SendPair, Decision> ask;
    private final Ticker ticker;
    private final Executor refresher;
    // Counts endings heard: an answer is kept only if none arrived while it was being asked.
    private final AtomicLong endingsHeard = new AtomicLong();
    private final FriendshipEndingListener forgetEnded = new ForgetEnded();
    private final CallCredentials asRouter;

    @Inject
    public SendPermissions(SendConfig config, ServiceTokens tokens) {
        this.config = config;
        this.asRouter = tokens.credentials(ServiceName.ROUTER, ServiceName.USER);
        this.ask = this::checkSend;
        this.refresher = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "router-send-permission-refresh");
            thread.setDaemon(true);
            return thread;
        });
        this.ticker = Ticker.systemTicker();
        this.allowed = cache(config, ticker);
    }

    /** For tests: decisions from {@code ask}, time from {@code ticker}, refreshes on {@code refresher}. */
    SendPermissions(SendConfig config, Function<SendPair, Decision> ask, Ticker ticker, Executor refresher) {
        this.config = config;
        this.asRouter = null;
        this.ask = ask;
        this.refresher = refresher;
        this.ticker = ticker;
        this.allowed = cache(config, ticker);
    }

    @PostConstruct
    void listenForEndings() {
        endings.listen(forgetEnded);
    }

    /** What hears ended friendships; for tests built without the seam. */
    FriendshipEndingListener endingListener() {
        return forgetEnded;
    }

    private static Cache<SendPair, Allowed> cache(SendConfig config, Ticker ticker) {
        return Caffeine.newBuilder()
                .maximumSize(config.allowedCacheSize())
                .expireAfterWrite(config.allowedTtl())
                .ticker(ticker)
                .build();
    }

    /**
     * Returns when the sender may send to the receiver.
     *
     * @throws StatusRuntimeException UNKNOWN_USER or NOT_FRIENDS when not; UNAVAILABLE when the
     *     user service cannot answer
     */
    public void require(long senderId, long receiverId) {
        if (allowedWithoutAsking(senderId, receiverId)) {
            return;
        }
        SendPair pair = new SendPair(senderId, receiverId);
        long heardBefore = endingsHeard.get();
        Decision decision;
        try {
            decision = ask.apply(pair);
        } catch (StatusRuntimeException e) {
            LOG.warnf("CheckSend failed: %s", e.getStatus());
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "user directory unavailable");
        }
        switch (decision) {
            case ALLOWED -> remember(pair, heardBefore);
            case UNKNOWN_USER -> throw GrpcErrors.error(ErrorCode.UNKNOWN_USER, "no user " + receiverId);
            case NOT_FRIENDS -> throw GrpcErrors.error(ErrorCode.NOT_FRIENDS, "the receiver accepts friends only");
            default -> throw GrpcErrors.error(ErrorCode.INTERNAL, "user directory answered " + decision);
        }
    }

    /**
     * Whether the pair is known to be allowed, answered from memory (never blocks: an event loop
     * may ask). False means unknown here: {@link #require} asks the user service.
     */
    public boolean allowedWithoutAsking(long senderId, long receiverId) {
        SendPair pair = new SendPair(senderId, receiverId);
        Allowed known = allowed.getIfPresent(pair);
        if (known == null) {
            return false;
        }
        if (ticker.read() >= known.askAgainAtNanos() && known.asking().compareAndSet(false, true)) {
            askAgainInBackground(pair);
        }
        return true;
    }

    /**
     * Keeps an allowed answer asked for when {@code heardBefore} endings had been heard, unless one
     * came since: it may have ended this pair after the user service answered. Put first, checked
     * second: an ending counted after the check invalidates after the put.
     */
    private void remember(SendPair pair, long heardBefore) {
        allowed.put(pair, allowedNow());
        if (endingsHeard.get() != heardBefore) {
            allowed.invalidate(pair);
        }
    }

    private Allowed allowedNow() {
        long quarter = config.allowedTtl().toNanos() / 4;
        long after = quarter + (long) (ThreadLocalRandom.current().nextDouble() * quarter);
        return new Allowed(ticker.read() + after, new AtomicBoolean());
    }

    /** The answer replaces the pair's entry (a new lifetime) or forgets it; a failure keeps it until it expires. */
    private void askAgainInBackground(SendPair pair) {
        try {
            refresher.execute(() -> {
                long heardBefore = endingsHeard.get();
                Decision decision;
                try {
                    decision = ask.apply(pair);
                } catch (RuntimeException e) {
                    LOG.debugf("CheckSend in the background failed: %s", e.getMessage());
                    return;
                }
                if (decision == Decision.ALLOWED) {
                    remember(pair, heardBefore);
                } else {
                    allowed.invalidate(pair);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the pair expires as usual
        }
    }

    private Decision checkSend(SendPair pair) {
        return users.withCallCredentials(asRouter).withDeadlineAfter(config.checkTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .checkSend(CheckSendRequest.newBuilder().setSenderId(pair.senderId()).setReceiverId(pair.receiverId())
                        .build())
                .getDecision();
    }

    @PreDestroy
    void stop() {
        if (refresher instanceof ExecutorService own) {
            own.shutdownNow();
        }
    }

    record SendPair(long senderId, long receiverId) {
    }

    /** Forgets ended pairs, both directions; runs on the notice's thread and never blocks. */
    private final class ForgetEnded implements FriendshipEndingListener {

        @Override
        public void ended(long userA, long userB) {
            endingsHeard.incrementAndGet();
            allowed.invalidate(new SendPair(userA, userB));
            allowed.invalidate(new SendPair(userB, userA));
        }

        @Override
        public void missedEndings() {
            endingsHeard.incrementAndGet();
            allowed.invalidateAll();
        }
    }

    /** An allowed pair: when to ask about it again, and whether that question is under way. */
    private record Allowed(long askAgainAtNanos, AtomicBoolean asking) {
    }
}

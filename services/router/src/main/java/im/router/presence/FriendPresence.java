package im.router.presence;

import im.common.grpc.GrpcErrors;
import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.common.token.VerifiedUser;
import im.protocol.client.ErrorCode;
import im.protocol.client.GetPresence;
import im.protocol.client.Presence;
import im.protocol.client.PresenceList;
import im.protocol.user.PresenceAudience;
import im.protocol.user.RecordPresenceRequest;
import im.protocol.user.SeenUser;
import im.protocol.user.UserDirectoryGrpc;
import im.protocol.user.VisiblePresenceRequest;
import im.router.routing.DeliveryRouting;
import io.grpc.CallCredentials;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Friends' presence: a user is online while any of its devices is (the presence registry, which
 * push keeps, says so); when that changes, its friends' online devices hear of it, at most once a
 * second per user, and the user service records when the user was last seen. Who hears (friends,
 * nobody when the user hides its presence) is the user service's answer. Push tells this router of
 * each device that connects or leaves; it sends every change of one user to the same router, so
 * the state told last is this router's to remember.
 *
 * <p>A push node that dies tells nobody: its devices leave the registry when the node's liveness
 * lapses, without a word to any router. So this router reads again, a slice each round, the
 * users it told online ({@link #recheckOnline}), and tells those found offline like any change.
 */
@ApplicationScoped
public class FriendPresence {

    private static final Logger LOG = Logger.getLogger(FriendPresence.class);
    static final long INTERVAL_MILLIS = 1_000;
    /** Users read per recheck round: one registry read for all of them, every {@link #RECHECK_SECONDS}. */
    static final int RECHECK_PER_ROUND = 2_000;
    static final long RECHECK_SECONDS = 5;
    public static final int MAX_QUERY = 100;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private final PresenceRegistry presence;
    private final DeliveryRouting routing;
    private final CallCredentials asRouter;
    private final ScheduledExecutorService timer;
    private final PresenceThrottle throttle;
    // What the friends were told last, per user (absent: offline, as nothing was told).
    private final Map<Long, Boolean> toldOnline = new ConcurrentHashMap<>();
    // Where the recheck rounds are in toldOnline; the recheck's own (it holds this object's lock).
    private Iterator<Long> recheckCursor = Collections.emptyIterator();

    public FriendPresence(PresenceRegistry presence, DeliveryRouting routing, ServiceTokens tokens) {
        this.presence = presence;
        this.routing = routing;
        this.asRouter = tokens.credentials(ServiceName.ROUTER, ServiceName.USER);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "router-presence");
            thread.setDaemon(true);
            return thread;
        });
        this.throttle = new PresenceThrottle(INTERVAL_MILLIS, System::currentTimeMillis, timer, this::tellIfChanged);
        timer.scheduleWithFixedDelay(throttle::sweep, 10, 10, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> {
            try {
                recheckOnline();
            } catch (RuntimeException e) {
                // A task that throws is never run again: this one must outlive any one failure.
                LOG.warnf("Presence recheck failed: %s", e.toString());
            }
        }, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Reads the next slice of the users told online and treats each found without a device as
     * changed. Every such user is read once per (users / {@link #RECHECK_PER_ROUND}) rounds: a
     * user whose node died is told offline within that, after the node's liveness lapsed.
     */
    synchronized void recheckOnline() {
        if (!recheckCursor.hasNext()) {
            recheckCursor = toldOnline.keySet().iterator();
        }
        List<Long> slice = new ArrayList<>();
        while (recheckCursor.hasNext() && slice.size() < RECHECK_PER_ROUND) {
            slice.add(recheckCursor.next());
        }
        if (slice.isEmpty()) {
            return;
        }
        Map<Long, List<DevicePresence>> online;
        try {
            online = presence.devicesOf(slice);
        } catch (RuntimeException e) {
            LOG.debugf("Presence recheck of %d users skipped: %s", slice.size(), e.getMessage());
            return;
        }
        for (Long userId : slice) {
            if (online.getOrDefault(userId, List.of()).isEmpty()) {
                throttle.changed(userId);
            }
        }
    }

    /** A device of the user connected or left (push says so once the registry holds it). */
    public void deviceChanged(long userId) {
        throttle.changed(userId);
    }

    /** Tells the user's audience when its state differs from what was told last; true when it told. */
    private boolean tellIfChanged(long userId) {
        boolean online;
        try {
            online = !presence.devices(userId).isEmpty();
        } catch (RuntimeException e) {
            LOG.warnf("Presence of user %d not read; friends not told: %s", userId, e.getMessage());
            return false;
        }
        if (online == toldOnline.getOrDefault(userId, false)) {
            return false;
        }
        if (online) {
            toldOnline.put(userId, true);
        } else {
            toldOnline.remove(userId);
        }
        long now = System.currentTimeMillis();
        try {
            PresenceAudience audience = users.withCallCredentials(asRouter).withDeadlineAfter(3, TimeUnit.SECONDS)
                    .recordPresence(RecordPresenceRequest.newBuilder().setUserId(userId).setOnline(online)
                            .setAtMs(now).build());
            if (audience.getUserIdsCount() > 0) {
                routing.publishPresence(Presence.newBuilder().setUserId(userId).setOnline(online)
                        .setLastSeenMs(online ? 0 : now).build(), audience.getUserIdsList());
            }
        } catch (StatusRuntimeException e) {
            LOG.warnf("Presence of user %d not told (user service): %s", userId, e.getStatus());
        }
        return true;
    }

    /** The presence of those of {@code userIds} the caller may see. Blocking: call from a worker. */
    public PresenceList presenceOf(VerifiedUser caller, GetPresence request) {
        if (request.getUserIdsCount() == 0 || request.getUserIdsCount() > MAX_QUERY) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "user_ids must name 1.." + MAX_QUERY + " users");
        }
        List<SeenUser> visible;
        try {
            visible = users.withCallCredentials(asRouter).withDeadlineAfter(3, TimeUnit.SECONDS)
                    .visiblePresence(VisiblePresenceRequest.newBuilder().setViewerId(caller.userId())
                            .addAllUserIds(request.getUserIdsList()).build()).getVisibleList();
        } catch (StatusRuntimeException e) {
            LOG.warnf("Presence question not answered (user service): %s", e.getStatus());
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "user directory unavailable");
        }
        Map<Long, List<DevicePresence>> online;
        try {
            online = presence.devicesOf(visible.stream().map(SeenUser::getUserId).toList());
        } catch (RuntimeException e) {
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "presence unavailable");
        }
        PresenceList.Builder answer = PresenceList.newBuilder();
        for (SeenUser seen : visible) {
            boolean isOnline = !online.getOrDefault(seen.getUserId(), List.of()).isEmpty();
            answer.addPresences(Presence.newBuilder().setUserId(seen.getUserId()).setOnline(isOnline)
                    .setLastSeenMs(isOnline ? 0 : seen.getLastSeenMs()));
        }
        return answer.build();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}

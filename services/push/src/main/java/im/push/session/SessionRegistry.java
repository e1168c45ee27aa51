package im.push.session;

import im.push.PushConfig;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions open on this node, by user and device. At most one per device: the one with the
 * highest epoch. Bounded by {@code im.push.max-connections}. Safe from any thread; nothing here
 * blocks.
 */
@Singleton
public class SessionRegistry {

    /** What {@link #register} did. {@code replaced} is the older session of the device, if any. */
    public record Registration(Outcome outcome, Session replaced) {
    }

    public enum Outcome {
        REGISTERED,
        /** The device already has a session with a higher epoch here; the new one lost. */
        STALE,
        /** The node holds its maximum of sessions. */
        FULL
    }

    private final Map<Long, Map<String, Session>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maxSessions;

    public SessionRegistry(PushConfig config) {
        this.maxSessions = config.maxConnections();
    }

    public Registration register(Session session) {
        Registration[] result = new Registration[1];
        byUser.compute(session.userId(), (user, devices) -> {
            Map<String, Session> map = devices == null ? new ConcurrentHashMap<>() : devices;
            Session existing = map.get(session.deviceId());
            if (existing != null && existing.epoch() > session.epoch()) {
                result[0] = new Registration(Outcome.STALE, null);
            } else if (existing == null && size.incrementAndGet() > maxSessions) {
                size.decrementAndGet();
                result[0] = new Registration(Outcome.FULL, null);
            } else {
                map.put(session.deviceId(), session);
                result[0] = new Registration(Outcome.REGISTERED, existing);
            }
            return map.isEmpty() ? null : map;
        });
        return result[0];
    }

    /** Removes the session if it is still the device's current one here. */
    public boolean remove(Session session) {
        boolean[] removed = {false};
        byUser.computeIfPresent(session.userId(), (user, devices) -> {
            if (devices.remove(session.deviceId(), session)) {
                size.decrementAndGet();
                removed[0] = true;
            }
            return devices.isEmpty() ? null : devices;
        });
        return removed[0];
    }

    /** The user's sessions on this node (a snapshot). */
    public Collection<Session> sessionsOf(long userId) {
        Map<String, Session> devices = byUser.get(userId);
        return devices == null ? List.of() : List.copyOf(devices.values());
    }

    /** Every session on this node (a snapshot). */
    public List<Session> all() {
        List<Session> all = new ArrayList<>(size.get());
        byUser.values().forEach(devices -> all.addAll(devices.values()));
        return all;
    }

    public int size() {
        return size.get();
    }
}

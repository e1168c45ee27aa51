package im.push.presence;

import im.common.delivery.DeliveryPublisher;
import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.delivery.SessionReplaced;
import im.push.PushConfig;
import im.push.session.SessionRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import org.jboss.logging.Logger;

/**
 * This push node in the presence registry: it hosts the node for as long as the process runs
 * (before the listeners open, after they have closed), and records its sessions. A device that
 * opens a session here while an older one lives on another node makes that node close the older
 * one (a {@link SessionReplaced} event), so one device never holds two live sessions in a cluster.
 * Calls cross the network in a cluster: run them on workers, never on an event loop.
 */
@Singleton
public class NodePresence {

    private static final Logger LOG = Logger.getLogger(NodePresence.class);
    private static final Duration HOST_PATIENCE = Duration.ofSeconds(60);
    private static final Duration HOST_RETRY = Duration.ofMillis(500);

    private final String nodeId;
    private final PresenceRegistry presence;
    private final DeliveryPublisher publisher;
    private final SessionRegistry sessions;

    public NodePresence(PushConfig push, PresenceRegistry presence, DeliveryPublisher publisher,
            SessionRegistry sessions) {
        this.nodeId = push.nodeId();
        this.presence = presence;
        this.publisher = publisher;
        this.sessions = sessions;
    }

    // Before the listeners bind (they observe at the default priority): no Hello precedes hosting.
    // A node that cannot reach presence at start keeps trying (a busy machine's first Redis call may
    // outlast the registry's timeout) and gives up only when presence stays away.
    void start(@Observes @Priority(1000) StartupEvent event) throws InterruptedException {
        long giveUpAt = System.nanoTime() + HOST_PATIENCE.toNanos();
        while (true) {
            try {
                presence.hostNode(nodeId, this::openSessions);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() - giveUpAt > 0) {
                    throw new IllegalStateException("push node " + nodeId + " cannot reach presence", e);
                }
                LOG.warnf("presence not reachable yet (%s); trying again", e.getMessage());
                Thread.sleep(HOST_RETRY.toMillis());
            }
        }
    }

    /** This node's sessions as presence entries, for a registry that lost them. */
    private Collection<DevicePresence> openSessions() {
        return sessions.all().stream()
                .map(session -> new DevicePresence(session.userId(), session.deviceId(), nodeId, session.epoch()))
                .toList();
    }

    // After the listeners have drained (default priority), so their sessions left one by one first.
    void stop(@Observes @Priority(5000) ShutdownEvent event) {
        try {
            presence.leaveNode(nodeId);
        } catch (RuntimeException e) {
            LOG.warnf("could not leave presence cleanly (entries expire with the node): %s", e.getMessage());
        }
    }

    /** Records a new session of the device here and returns its epoch; tells a replaced session's node. */
    public long connect(long userId, String deviceId) {
        PresenceRegistry.Connected connected = presence.connect(userId, deviceId, nodeId);
        DevicePresence replaced = connected.replaced();
        if (replaced != null && !replaced.nodeId().equals(nodeId)) {
            try {
                publisher.publish(DeliveryEvent.newBuilder()
                        .setNodeId(replaced.nodeId())
                        .setSessionReplaced(SessionReplaced.newBuilder()
                                .setUserId(userId).setDeviceId(deviceId).setEpoch(connected.epoch()))
                        .build());
            } catch (RuntimeException e) {
                // the old session then lives until its connection dies; deliveries go here meanwhile
                LOG.debugf("replaced session of user %d on %s not told: %s", userId, replaced.nodeId(), e.getMessage());
            }
        }
        return connected.epoch();
    }

    /** How many devices of the user are connected, on every node. */
    public int devicesOnline(long userId) {
        return presence.devices(userId).size();
    }

    /** The session with this epoch ended here. */
    public void disconnect(long userId, String deviceId, long epoch) {
        presence.disconnect(userId, deviceId, epoch);
    }

    public String nodeId() {
        return nodeId;
    }
}

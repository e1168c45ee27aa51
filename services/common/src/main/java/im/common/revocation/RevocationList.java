package im.common.revocation;

import im.common.token.VerifiedUser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The revocations one process knows, in memory, and who wants to hear of new ones; both forms of
 * {@link SessionRevocations} keep theirs here. One entry per revoked session and one per revoked
 * user, each dropped once its {@code until} has passed (swept at most once a minute, when a
 * revocation comes in): the list holds what the last access-token lifetime revoked, no more.
 *
 * <p>It is itself the seam's form for one process (the standalone app, and unit tests that build
 * a verifier by hand): there, revoking is adding to this list and every listener is in the JVM.
 *
 * <p>Safe from any thread; {@link #covers} is two map lookups.
 */
public final class RevocationList implements SessionRevocations {

    private static final Logger LOG = Logger.getLogger(RevocationList.class);
    private static final long SWEEP_EVERY_SECONDS = 60;

    private final Map<String, Revocation> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Revocation> users = new ConcurrentHashMap<>();
    private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier epochSeconds;
    private final AtomicLong lastSweep = new AtomicLong();

    public RevocationList() {
        this(() -> Instant.now().getEpochSecond());
    }

    public RevocationList(LongSupplier epochSeconds) {
        this.epochSeconds = epochSeconds;
    }

    /**
     * Takes a revocation in. True when it refuses something the list did not refuse already;
     * then every listener has been told (a repeat, such as this node's own notice coming back
     * from Redis, tells nobody).
     */
    public boolean add(Revocation revocation) {
        long now = epochSeconds.getAsLong();
        sweep(now);
        if (revocation.untilEpochSecond() <= now) {
            return false;
        }
        boolean[] changed = {false};
        if (revocation.coversWholeUser()) {
            users.merge(revocation.userId(), revocation, (known, offered) -> {
                // a later moment refuses all that an earlier one did, and more
                if (offered.issuedBeforeEpochSecond() > known.issuedBeforeEpochSecond()) {
                    changed[0] = true;
                    return offered.untilEpochSecond() >= known.untilEpochSecond() ? offered
                            : new Revocation(offered.userId(), null, offered.issuedBeforeEpochSecond(),
                                    known.untilEpochSecond());
                }
                return known;
            });
            changed[0] |= users.get(revocation.userId()) == revocation;
        } else {
            Revocation known = sessions.putIfAbsent(revocation.sessionId(), revocation);
            changed[0] = known == null;
        }
        if (changed[0]) {
            for (RevocationListener listener : listeners) {
                try {
                    listener.revoked(revocation);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "revocation listener failed on %s", revocation);
                }
            }
        }
        return changed[0];
    }

    /** Whether a known revocation refuses this token. */
    public boolean covers(VerifiedUser user) {
        String sessionId = user.sessionId();
        if (sessionId != null) {
            Revocation session = sessions.get(sessionId);
            if (session != null && session.covers(user)) {
                return true;
            }
        }
        Revocation all = users.get(user.userId());
        return all != null && all.covers(user);
    }

    @Override
    public void revoke(Revocation revocation) {
        add(revocation);
    }

    @Override
    public boolean isRevoked(VerifiedUser user) {
        return covers(user);
    }

    @Override
    public void addListener(RevocationListener listener) {
        listeners.add(listener);
    }

    /** How many revocations are held (sessions and users). */
    public int size() {
        return sessions.size() + users.size();
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_EVERY_SECONDS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        sessions.values().removeIf(r -> r.untilEpochSecond() <= now);
        users.values().removeIf(r -> r.untilEpochSecond() <= now);
    }
}

package im.bench.server;

import im.bench.load.Identity;
import java.time.Duration;
import java.util.List;

/**
 * A group made for a run: {@code members} fresh users, of whom the first {@code online.size()}
 * were also logged in (one identity each, to connect); the first of them owns the group. The
 * setup's phases are timed, since at 10,000 members setup is most of a run's wall time.
 *
 * @param registering every member registered (Argon2id hashing of each password)
 * @param loggingIn the online members logged in (Argon2id verification of each password)
 * @param grouping the group created with the first members and the rest added, 500 per call
 */
public record BenchGroup(long groupId, String conversationId, int members, List<Identity> online,
        Duration registering, Duration loggingIn, Duration grouping) {

    public BenchGroup {
        online = List.copyOf(online);
    }
}

package im.checker.scenario;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One run's parameters.
 *
 * @param users people; paired into 1:1 conversations (0-1, 2-3, ...; an odd last one also talks to user 0)
 * @param devicesPerUser devices of each user, all connected through the proxy
 * @param groups the groups among the users and the share of the sends that go to them
 * @param messages sends in total, by random devices of random users to a partner or a group
 * @param ratePerSecond sends started per second at most
 * @param maxInFlight sends started and not yet acknowledged at most
 * @param dropRate per frame, each direction
 * @param delayRate per frame, each direction
 * @param maxDelayMillis longest hold of a delayed frame
 * @param killRate per frame: cut the connection there
 * @param killsPerSecond besides per-frame cuts, random connections cut per second
 * @param restarts server restarts spread evenly over the sends
 * @param killRestarts restart with SIGKILL instead of SIGTERM
 * @param seed root of every random choice (sends, faults)
 * @param settleTimeout how long, after faults stop, every send may take to be acknowledged, and
 *     every device to catch up (each)
 * @param app the packaged standalone app
 * @param work where the server's data and log go
 * @param serverHeap the server's -Xmx
 */
public record CheckerSettings(
        int users,
        int devicesPerUser,
        GroupWorkload groups,
        int messages,
        double ratePerSecond,
        int maxInFlight,
        double dropRate,
        double delayRate,
        long maxDelayMillis,
        double killRate,
        double killsPerSecond,
        int restarts,
        boolean killRestarts,
        long seed,
        Duration settleTimeout,
        Path app,
        Path work,
        String serverHeap) {

    public CheckerSettings {
        java.util.Objects.requireNonNull(groups, "groups");
        between(users, 2, 10_000, "users");
        between(devicesPerUser, 1, 16, "devicesPerUser");
        between(messages, 1, 10_000_000, "messages");
        between(maxInFlight, 1, 100_000, "maxInFlight");
        between(restarts, 0, 100, "restarts");
        if (groups.count() > 0 && groups.size() > users) {
            throw new IllegalArgumentException("groups of " + groups.size() + " need at least as many users, not "
                    + users);
        }
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("ratePerSecond must be positive");
        }
        if (killsPerSecond < 0) {
            throw new IllegalArgumentException("killsPerSecond must not be negative");
        }
    }

    /** The parameters, one line, so a run can be repeated. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "seed=%d users=%d devices-per-user=%d %s messages=%d rate=%.0f/s "
                        + "max-in-flight=%d drop-rate=%.4f delay-rate=%.4f max-delay-ms=%d kill-rate=%.5f kills-per-second=%.2f "
                        + "restarts=%d kill-restarts=%s settle-timeout=%ds",
                seed, users, devicesPerUser, groups.describe(), messages, ratePerSecond, maxInFlight, dropRate, delayRate,
                maxDelayMillis, killRate, killsPerSecond, restarts, killRestarts, settleTimeout.toSeconds());
    }

    private static void between(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
    }
}

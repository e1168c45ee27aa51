package im.checker.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The groups of a run, made before the faults start and unchanged during it, and how many of the
 * sends go to them.
 *
 * <p>Group k's members are {@code size} consecutive users from user {@code k * users / count}
 * (wrapping past the last), the first its owner. Consecutive users have different home nodes
 * ({@link ReliableDeliveryScenario#homeNode}), so against the cluster every group has members on
 * both push nodes; with more groups than fit side by side, groups overlap and users are in
 * several.
 *
 * @param count groups (0: private chats only)
 * @param size members of each group, 2..users
 * @param sendShare probability that a send of a user in a group goes to one of its groups
 *     (picked at random) rather than to a partner
 */
public record GroupWorkload(int count, int size, double sendShare) {

    /** Private chats only, as before groups existed: the same seed makes the same sends. */
    public static final GroupWorkload NONE = new GroupWorkload(0, 2, 0);

    public GroupWorkload {
        if (count < 0 || count > 10_000) {
            throw new IllegalArgumentException("group count must be 0..10000: " + count);
        }
        if (size < 2 || size > 1_000) {
            throw new IllegalArgumentException("group size must be 2..1000: " + size);
        }
        if (!(sendShare >= 0 && sendShare <= 1)) {
            throw new IllegalArgumentException("group send share must be 0..1: " + sendShare);
        }
    }

    /** Indexes of group {@code k}'s members among {@code users} users, its owner first. */
    List<Integer> members(int k, int users) {
        if (size > users) {
            throw new IllegalArgumentException("groups of " + size + " need at least as many users, not " + users);
        }
        int first = (int) ((long) k * users / count);
        List<Integer> members = new ArrayList<>(size);
        for (int j = 0; j < size; j++) {
            members.add((first + j) % users);
        }
        return members;
    }

    String describe() {
        return String.format(Locale.ROOT, "groups=%d group-size=%d group-share=%.2f", count, size, sendShare);
    }
}

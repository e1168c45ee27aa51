package im.common.token;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per distinct set of roles or permissions. Every verified token carries
 * both, and a push node keeps one {@link VerifiedUser} per open connection, yet nearly every user
 * has the same few sets: parsed afresh, each connection would hold its own copies of the same
 * strings (a tenth of its heap). The sets come from tokens auth signed, so there are as many as
 * role combinations in use; past {@link #MAX_SHARED} a set is kept as parsed, never dropped.
 */
final class ClaimSets {

    static final int MAX_SHARED = 1024;

    private static final Map<Set<String>, Set<String>> SHARED = new ConcurrentHashMap<>();

    private ClaimSets() {
    }

    /** An immutable set equal to {@code values} (empty for null), the shared one when there is one. */
    static Set<String> shared(Set<String> values) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        Set<String> known = SHARED.get(values);
        if (known != null) {
            return known;
        }
        Set<String> copy = Set.copyOf(values);
        if (SHARED.size() >= MAX_SHARED) {
            return copy;
        }
        Set<String> raced = SHARED.putIfAbsent(copy, copy);
        return raced == null ? copy : raced;
    }
}

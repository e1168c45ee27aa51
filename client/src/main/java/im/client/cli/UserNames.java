package im.client.cli;

import im.client.sdk.ImApiException;
import im.client.sdk.UserView;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * User ids shown as usernames: each id is looked up once, then remembered (bounded). Lookups are
 * budgeted, so a long member list costs a bounded number of calls; past the budget, and for an id
 * the server does not know or could not answer for, the line says {@code user 42}. Thread-safe.
 */
final class UserNames {

    /** Names remembered; a chat among more people than this looks some up again. */
    private static final int MAX_REMEMBERED = 10_000;

    private final LongFunction<UserView> lookup;
    private final Map<Long, String> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private int lookupsLeft;

    UserNames(LongFunction<UserView> lookup, int maxLookups) {
        this.lookup = lookup;
        this.lookupsLeft = maxLookups;
    }

    /** Names of the session's users, looked up with its token; the user's own name is known already. */
    static UserNames of(Session session, int maxLookups) {
        UserNames names = new UserNames(id -> session.withToken(token -> session.rest().user(token, id)), maxLookups);
        names.remember(session.userId(), session.username());
        return names;
    }

    synchronized void remember(long userId, String username) {
        known.put(userId, username);
    }

    /** The username, or {@code user <id>} when it cannot be had cheaply. */
    synchronized String nameOf(long userId) {
        String name = known.get(userId);
        if (name != null) {
            return name;
        }
        if (lookupsLeft <= 0) {
            return "user " + userId;
        }
        lookupsLeft--;
        try {
            name = lookup.apply(userId).username();
        } catch (ImApiException e) {
            name = null;
            if (e.getStatus() == 404) {
                // Gone for good (or never was): not asked again.
                known.put(userId, "user " + userId);
            }
        } catch (RuntimeException failed) {
            // Unreachable or refused for now: shown by id, asked again next time.
            name = null;
        }
        if (name == null) {
            return "user " + userId;
        }
        known.put(userId, name);
        return name;
    }
}

package im.user.profile;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class UserProfileRepository implements PanacheRepositoryBase<UserProfile, Long> {

    /**
     * Profiles whose username starts with a prefix, in username order. A LIKE without a leading
     * wildcard reads the unique username index as a range, in order, and stops at the limit (MySQL,
     * MariaDB, H2): no full scan, no sort. '!' escapes the LIKE wildcards a username may hold ('_').
     */
    static final String BY_PREFIX = "SELECT * FROM user_profile WHERE username LIKE ? ESCAPE '!'"
            + " ORDER BY username LIMIT ?";

    public Optional<UserProfile> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /** At most {@code limit} profiles whose username starts with {@code prefix}, in username order. */
    @SuppressWarnings("unchecked")
    public List<UserProfile> byUsernamePrefix(String prefix, int limit) {
        return getEntityManager().createNativeQuery(BY_PREFIX, UserProfile.class)
                .setParameter(1, likePrefix(prefix))
                .setParameter(2, limit)
                .getResultList();
    }

    /** The LIKE pattern matching every string that starts with {@code prefix}, taken literally. */
    static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /**
     * Row-locks the profile until the transaction ends. Friend operations lock both profiles
     * of a pair (lower id first) so that two people asking each other at the same moment, or a
     * request racing its acceptance, are serialised instead of leaving two pending requests.
     */
    public boolean lock(long userId) {
        // Native on purpose: Hibernate's MySQL 8 dialect writes "FOR UPDATE OF <alias>", which
        // MariaDB rejects; plain "FOR UPDATE" runs on MySQL, MariaDB and H2 alike.
        return !getEntityManager()
                .createNativeQuery("SELECT user_id FROM user_profile WHERE user_id = ?1 FOR UPDATE")
                .setParameter(1, userId)
                .getResultList().isEmpty();
    }

    /**
     * Inserts the profile unless its id or its username already exists. A conflict is a no-op
     * rather than an error, so concurrent creations never abort the transaction; the caller
     * rereads to learn who holds the row.
     */
    public void insertIfAbsent(UserProfile profile) {
        getEntityManager().createNativeQuery(
                        "INSERT INTO user_profile (user_id, username, display_name, created_at) VALUES (?1, ?2, ?3, ?4)"
                                + " ON DUPLICATE KEY UPDATE user_id = user_id")
                .setParameter(1, profile.userId)
                .setParameter(2, profile.username)
                .setParameter(3, profile.displayName)
                .setParameter(4, profile.createdAt)
                .executeUpdate();
    }
}

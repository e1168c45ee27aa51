package im.user.friend;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class FriendshipRepository implements PanacheRepositoryBase<Friendship, FriendshipId> {

    public boolean areFriends(long userId, long friendId) {
        return findByIdOptional(new FriendshipId(userId, friendId)).isPresent();
    }

    /** Writes both directions; callers hold the pair's profile locks and checked it is absent. */
    public void befriend(long a, long b, long now) {
        persist(direction(a, b, now));
        persist(direction(b, a, now));
    }

    public List<Long> friendIdsOf(long userId, int limit) {
        return find("userId = ?1 order by friendId", userId).page(0, limit).list()
                .stream().map(f -> f.friendId).toList();
    }

    private static Friendship direction(long userId, long friendId, long now) {
        Friendship f = new Friendship();
        f.userId = userId;
        f.friendId = friendId;
        f.createdAt = now;
        return f;
    }
}

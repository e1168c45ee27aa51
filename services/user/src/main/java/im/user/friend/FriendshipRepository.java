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

    /** Deletes both directions, remarks included; callers hold the pair's profile locks. */
    public void end(long a, long b) {
        delete("(userId = ?1 and friendId = ?2) or (userId = ?2 and friendId = ?1)", a, b);
    }

    /** {@code userId}'s side of its friendships, by friend id, at most {@code limit}. */
    public List<Friendship> friendsOf(long userId, int limit) {
        return find("userId = ?1 order by friendId", userId).page(0, limit).list();
    }

    /**
     * Sets what {@code userId} calls {@code friendId} (null clears it); false when they are not
     * friends. One statement, so a removal committing meanwhile leaves either no row or no remark.
     */
    public boolean setRemark(long userId, long friendId, String remark) {
        return update("remark = ?1 where userId = ?2 and friendId = ?3", remark, userId, friendId) == 1;
    }

    private static Friendship direction(long userId, long friendId, long now) {
        Friendship f = new Friendship();
        f.userId = userId;
        f.friendId = friendId;
        f.createdAt = now;
        return f;
    }
}

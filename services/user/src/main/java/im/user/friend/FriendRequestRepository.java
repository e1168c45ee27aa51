package im.user.friend;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class FriendRequestRepository implements PanacheRepositoryBase<FriendRequest, Long> {

    public Optional<FriendRequest> findPair(long fromUserId, long toUserId) {
        return find("fromUserId = ?1 and toUserId = ?2", fromUserId, toUserId).firstResultOptional();
    }

    /** Pending requests addressed to {@code toUserId}, oldest first, at most {@code limit}. */
    public List<FriendRequest> pendingTo(long toUserId, int limit) {
        return find("toUserId = ?1 and status = ?2 order by id", toUserId, FriendRequestStatus.PENDING)
                .page(0, limit).list();
    }

    /** Drops the requests of the pair, both directions: a friendship that ends takes them along. */
    public void deleteBetween(long a, long b) {
        delete("(fromUserId = ?1 and toUserId = ?2) or (fromUserId = ?2 and toUserId = ?1)", a, b);
    }
}

package im.user.friend;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class UserBlockRepository implements PanacheRepositoryBase<UserBlock, UserBlockId> {

    public boolean blocked(long blockerId, long blockedId) {
        return findByIdOptional(new UserBlockId(blockerId, blockedId)).isPresent();
    }

    /** The block, written unless it exists; callers hold the pair's profile locks. */
    public UserBlock block(long blockerId, long blockedId, long now) {
        UserBlock block = findById(new UserBlockId(blockerId, blockedId));
        if (block == null) {
            block = new UserBlock();
            block.blockerId = blockerId;
            block.blockedId = blockedId;
            block.createdAt = now;
            persist(block);
        }
        return block;
    }

    public void unblock(long blockerId, long blockedId) {
        delete("blockerId = ?1 and blockedId = ?2", blockerId, blockedId);
    }

    /** Whom {@code blockerId} blocked, by user id, at most {@code limit}. */
    public List<UserBlock> blockedBy(long blockerId, int limit) {
        return find("blockerId = ?1 order by blockedId", blockerId).page(0, limit).list();
    }
}

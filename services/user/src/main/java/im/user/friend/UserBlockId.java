package im.user.friend;

import java.io.Serializable;
import java.util.Objects;

/** Key of a {@link UserBlock} row. */
public class UserBlockId implements Serializable {

    public long blockerId;
    public long blockedId;

    public UserBlockId() {
    }

    public UserBlockId(long blockerId, long blockedId) {
        this.blockerId = blockerId;
        this.blockedId = blockedId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserBlockId other && other.blockerId == blockerId && other.blockedId == blockedId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(blockerId, blockedId);
    }
}

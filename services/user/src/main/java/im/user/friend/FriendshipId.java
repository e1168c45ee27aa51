package im.user.friend;

import java.io.Serializable;
import java.util.Objects;

/** Key of a {@link Friendship} row: one direction of a friendship. */
public class FriendshipId implements Serializable {

    public long userId;
    public long friendId;

    public FriendshipId() {
    }

    public FriendshipId(long userId, long friendId) {
        this.userId = userId;
        this.friendId = friendId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FriendshipId other && other.userId == userId && other.friendId == friendId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, friendId);
    }
}

package im.user.friend;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One direction of a friendship; a friendship is always stored as both directions. */
@Entity
@Table(name = "friendship")
@IdClass(FriendshipId.class)
public class Friendship {

    @Id
    @Column(name = "user_id")
    public long userId;

    @Id
    @Column(name = "friend_id")
    public long friendId;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    /** What {@code userId} calls {@code friendId}, shown to {@code userId} only; null for none. */
    @Column(name = "remark", length = FriendRules.REMARK_MAX)
    public String remark;
}

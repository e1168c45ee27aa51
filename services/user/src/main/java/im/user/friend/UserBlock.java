package im.user.friend;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** {@code blockerId} blocked {@code blockedId}: no friendship and no request between them while it lasts. */
@Entity
@Table(name = "user_block")
@IdClass(UserBlockId.class)
public class UserBlock {

    @Id
    @Column(name = "blocker_id")
    public long blockerId;

    @Id
    @Column(name = "blocked_id")
    public long blockedId;

    @Column(name = "created_at", nullable = false)
    public long createdAt;
}

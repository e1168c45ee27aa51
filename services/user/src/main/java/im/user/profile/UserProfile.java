package im.user.profile;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A user's public profile; {@code userId} is the account id auth drew from leaf. Updates write only
 * the columns that changed: the owner renaming itself and changing its friend settings at the same
 * moment read the row without a lock, and a full-row update would put back the other's old value.
 */
@Entity
@DynamicUpdate
@Table(name = "user_profile")
public class UserProfile {

    @Id
    @Column(name = "user_id")
    public long userId;

    @Column(name = "username", nullable = false, length = 32)
    public String username;

    @Column(name = "display_name", nullable = false, length = 64)
    public String displayName;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    /** Whether others may ask this user to be friends (a request the user made stands either way). */
    @Column(name = "accept_friend_requests", nullable = false)
    public boolean acceptFriendRequests = true;

    /** Whether the user's friends may see it online and when it was last seen. */
    @Column(name = "show_presence", nullable = false)
    public boolean showPresence = true;

    /** The avatar's blob in the user's media space (the router keeps it); null when the user has none. */
    @Column(name = "avatar_blob_id", length = 128)
    public String avatarBlobId;

    /** The avatar's thumbnail, in the same space; null when there is no avatar or no thumbnail of it. */
    @Column(name = "avatar_thumbnail_blob_id", length = 128)
    public String avatarThumbnailBlobId;

    /** When the user's last device left, in ms since the epoch; 0 when never. */
    @Column(name = "last_seen_at", nullable = false)
    public long lastSeenAt;
}

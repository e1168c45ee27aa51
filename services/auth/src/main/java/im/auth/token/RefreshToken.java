package im.auth.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One refresh token of a login's family, known only by its hash. */
@Entity
@Table(name = "refresh_token")
public class RefreshToken {

    @Id
    @Column(name = "token_hash", length = 64)
    public String tokenHash;

    @Column(name = "user_id", nullable = false)
    public long userId;

    @Column(name = "family_id", nullable = false, length = 64)
    public String familyId;

    @Column(name = "expires_at", nullable = false)
    public long expiresAt;

    /** When it was exchanged for its successor; presenting it again is reuse. */
    @Column(name = "used_at")
    public Long usedAt;

    @Column(name = "revoked", nullable = false)
    public boolean revoked;
}

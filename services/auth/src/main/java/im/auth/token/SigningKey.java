package im.auth.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An Ed25519 key pair that signs access tokens; {@code active} is TRUE for one key, else NULL. */
@Entity
@Table(name = "signing_key")
public class SigningKey {

    @Id
    @Column(name = "kid", length = 64)
    public String kid;

    /** X.509 SubjectPublicKeyInfo encoding. */
    @Column(name = "public_key", nullable = false)
    public byte[] publicKey;

    /** PKCS#8 encoding. */
    @Column(name = "private_key", nullable = false)
    public byte[] privateKey;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @Column(name = "active")
    public Boolean active;
}

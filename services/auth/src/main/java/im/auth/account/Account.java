package im.auth.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Who may log in: the leaf-issued user id, the username and the Argon2id hash of the password. */
@Entity
@Table(name = "account")
public class Account {

    @Id
    @Column(name = "user_id")
    public long userId;

    @Column(name = "username", nullable = false, length = 32)
    public String username;

    /** PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): parameters travel with the hash. */
    @Column(name = "password_hash", nullable = false, length = 255)
    public String passwordHash;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    /** Set by a ban: the account may neither log in nor refresh until unbanned. */
    @Column(name = "banned", nullable = false)
    public boolean banned;
}

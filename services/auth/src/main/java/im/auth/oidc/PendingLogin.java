package im.auth.oidc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A login through a provider, from its start until the client collects it (or it expires). */
@Entity
@Table(name = "oidc_login")
public class PendingLogin {

    /**
     * WAITING for the browser's callback; EXCHANGING while one callback talks to the provider (a
     * second one is refused); then DONE, LINK_REQUIRED or FAILED until the client polls.
     */
    public enum Status { WAITING, EXCHANGING, DONE, LINK_REQUIRED, FAILED }

    @Id
    @Column(name = "login_hash", length = 64)
    public String loginHash;

    @Column(name = "state_ref", nullable = false, length = 32)
    public String stateRef;

    @Column(name = "state_hash", nullable = false, length = 64)
    public String stateHash;

    @Column(name = "provider", nullable = false, length = 32)
    public String provider;

    @Column(name = "code_verifier", nullable = false, length = 128)
    public String codeVerifier;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    public Status status;

    /** The problem code the client is answered when FAILED. */
    @Column(name = "failure", length = 32)
    public String failure;

    /** The provider's id of the user, once known (DONE, LINK_REQUIRED). */
    @Column(name = "subject", length = 255)
    public String subject;

    /** The account to issue tokens for (DONE). */
    @Column(name = "user_id")
    public Long userId;

    /** DONE: the account's username; LINK_REQUIRED: the existing account the identity may link to. */
    @Column(name = "username", length = 32)
    public String username;

    @Column(name = "expires_at", nullable = false)
    public long expiresAt;
}

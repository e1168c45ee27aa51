package im.auth.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * Storage of started logins and linked identities; the transaction boundary of the feature. Each
 * status change is one conditional update, so concurrent callbacks, polls and links of one login
 * each see whether they won.
 */
@ApplicationScoped
public class OidcLogins {

    private final PendingLoginRepository logins;
    private final OidcIdentityRepository identities;

    public OidcLogins(PendingLoginRepository logins, OidcIdentityRepository identities) {
        this.logins = logins;
        this.identities = identities;
    }

    /** Stores a new login, first dropping expired ones: starts are throttled, so the table stays small. */
    @Transactional
    public void start(PendingLogin login) {
        logins.deleteExpired(System.currentTimeMillis());
        logins.persist(login);
    }

    @Transactional
    public Optional<PendingLogin> find(String loginHash) {
        return logins.findByIdOptional(loginHash);
    }

    @Transactional
    public Optional<PendingLogin> findByStateRef(String stateRef) {
        return logins.findByStateRef(stateRef);
    }

    @Transactional
    public boolean claim(String loginHash) {
        return logins.transition(loginHash, PendingLogin.Status.WAITING, PendingLogin.Status.EXCHANGING);
    }

    /**
     * Marks the login failed, to be reported to the poll, if it is still in {@code from}: a failure
     * seen before the claim (WAITING) cannot undo a callback that is already exchanging.
     */
    @Transactional
    public void fail(String loginHash, String failure, PendingLogin.Status from) {
        logins.update("status = ?1, failure = ?2 where loginHash = ?3 and status = ?4",
                PendingLogin.Status.FAILED, failure, loginHash, from);
    }

    @Transactional
    public void done(String loginHash, String subject, long userId, String username) {
        logins.update("status = ?1, subject = ?2, userId = ?3, username = ?4 where loginHash = ?5 and status = ?6",
                PendingLogin.Status.DONE, subject, userId, username, loginHash, PendingLogin.Status.EXCHANGING);
    }

    @Transactional
    public void linkRequired(String loginHash, String subject, String username) {
        logins.update("status = ?1, subject = ?2, username = ?3 where loginHash = ?4 and status = ?5",
                PendingLogin.Status.LINK_REQUIRED, subject, username, loginHash, PendingLogin.Status.EXCHANGING);
    }

    /** Removes a login in {@code status}; true for the one request that did (logins are one-time). */
    @Transactional
    public boolean collect(String loginHash, PendingLogin.Status status) {
        return logins.deleteIn(loginHash, status);
    }

    @Transactional
    public void delete(String loginHash) {
        logins.deleteById(loginHash);
    }

    @Transactional
    public Optional<Long> linkedUser(String provider, String subject) {
        return identities.find(provider, subject).map(identity -> identity.userId);
    }

    @Transactional
    public boolean accountLinked(String provider, long userId) {
        return identities.accountLinked(provider, userId);
    }

    /** Links the identity to the account unless it is linked already; answers the account it is linked to. */
    @Transactional
    public long link(String provider, String subject, long userId) {
        OidcIdentity identity = new OidcIdentity();
        identity.provider = provider;
        identity.subject = subject;
        identity.userId = userId;
        identity.createdAt = System.currentTimeMillis();
        identities.insertIfAbsent(identity);
        return identities.find(provider, subject).map(found -> found.userId).orElse(userId);
    }
}

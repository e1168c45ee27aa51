package im.auth.oidc;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class PendingLoginRepository implements PanacheRepositoryBase<PendingLogin, String> {

    public Optional<PendingLogin> findByStateRef(String stateRef) {
        return find("stateRef", stateRef).firstResultOptional();
    }

    /**
     * Moves the login from one status to another; false when another request moved it first. The
     * one way a callback, a poll or a link claims a login for itself.
     */
    public boolean transition(String loginHash, PendingLogin.Status from, PendingLogin.Status to) {
        return update("status = ?1 where loginHash = ?2 and status = ?3", to, loginHash, from) == 1;
    }

    /** Deletes the login if it is still in {@code status}; true for the one request that did. */
    public boolean deleteIn(String loginHash, PendingLogin.Status status) {
        return delete("loginHash = ?1 and status = ?2", loginHash, status) == 1;
    }

    public long deleteExpired(long now) {
        return delete("expiresAt <= ?1", now);
    }
}

package im.auth.account;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, Long> {

    public Optional<Account> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /**
     * Inserts the account unless the username (or id) exists. A conflict is a no-op instead of
     * an exception, so two registrations of one name never abort a transaction; the caller
     * rereads to learn which one won.
     */
    public void insertIfAbsent(Account account) {
        getEntityManager().createNativeQuery(
                        "INSERT INTO account (user_id, username, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)"
                                + " ON DUPLICATE KEY UPDATE user_id = user_id")
                .setParameter(1, account.userId)
                .setParameter(2, account.username)
                .setParameter(3, account.passwordHash)
                .setParameter(4, account.createdAt)
                .executeUpdate();
    }
}

package im.auth.account;

import im.auth.role.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Account storage; the transaction boundary of the account feature. */
@ApplicationScoped
public class Accounts {

    private final AccountRepository accounts;
    private final Roles roles;

    public Accounts(AccountRepository accounts, Roles roles) {
        this.accounts = accounts;
        this.roles = roles;
    }

    /**
     * Stores a new account; false when the username is taken. The insert is the transaction's
     * first statement, so the reread sees a concurrent registration that won the name. The new
     * account's roles are granted in the same transaction: no account exists without them.
     */
    @Transactional
    public boolean create(Account account) {
        accounts.insertIfAbsent(account);
        boolean created = accounts.findByUsername(account.username).map(a -> a.userId == account.userId).orElse(false);
        if (created) {
            roles.grantInitial(account.userId, account.username);
        }
        return created;
    }

    @Transactional
    public boolean usernameTaken(String username) {
        return accounts.findByUsername(username).isPresent();
    }

    @Transactional
    public Optional<Account> findByUsername(String username) {
        return accounts.findByUsername(username);
    }

    /** Sets or clears the account's ban; false when there is no such account. */
    @Transactional
    public boolean setBanned(long userId, boolean banned) {
        return accounts.update("banned = ?1 where userId = ?2", banned, userId) > 0
                || accounts.findByIdOptional(userId).isPresent();
    }

    @Transactional
    public boolean isBanned(long userId) {
        return accounts.findByIdOptional(userId).map(a -> a.banned).orElse(false);
    }

    @Transactional
    public Optional<String> usernameOf(long userId) {
        return accounts.findByIdOptional(userId).map(a -> a.username);
    }

    @Transactional
    public Optional<Account> findById(long userId) {
        return accounts.findByIdOptional(userId);
    }
}

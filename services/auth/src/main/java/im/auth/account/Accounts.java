package im.auth.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Account storage; the transaction boundary of the account feature. */
@ApplicationScoped
public class Accounts {

    private final AccountRepository accounts;

    public Accounts(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /**
     * Stores a new account; false when the username is taken. The insert is the transaction's
     * first statement, so the reread sees a concurrent registration that won the name.
     */
    @Transactional
    public boolean create(Account account) {
        accounts.insertIfAbsent(account);
        return accounts.findByUsername(account.username).map(a -> a.userId == account.userId).orElse(false);
    }

    @Transactional
    public boolean usernameTaken(String username) {
        return accounts.findByUsername(username).isPresent();
    }

    @Transactional
    public Optional<Account> findByUsername(String username) {
        return accounts.findByUsername(username);
    }

    @Transactional
    public Optional<String> usernameOf(long userId) {
        return accounts.findByIdOptional(userId).map(a -> a.username);
    }
}

package im.auth.account;

import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import im.auth.throttle.AuthThrottle;
import im.auth.token.AccessTokens;
import im.auth.token.RefreshTokens;
import im.auth.token.Tokens;
import im.common.profile.DisplayNames;
import im.common.profile.Usernames;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Registration and login. Not transactional itself: it calls leaf and user over gRPC, and no
 * database transaction stays open across those calls or across password hashing.
 */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    private static final int PASSWORD_MIN = 8;
    private static final int PASSWORD_MAX = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Accounts accounts;
    private final Passwords passwords;
    private final UserIds userIds;
    private final UserProfiles profiles;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final AuthThrottle throttle;

    public AccountService(Accounts accounts, Passwords passwords, UserIds userIds, UserProfiles profiles,
            AccessTokens accessTokens, RefreshTokens refreshTokens, AuthThrottle throttle) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.userIds = userIds;
        this.profiles = profiles;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.throttle = throttle;
    }

    /**
     * Validates, counts the registration against the client's address (429 past its limit), draws
     * an id from leaf, stores the account, then creates the profile. When the profile cannot be
     * created the account stays and the caller gets 503: the next login creates the profile
     * (CreateProfile is idempotent).
     */
    public RegisteredAccount register(RegisterRequest request, String clientAddress) {
        if (request == null) {
            throw invalid("body required");
        }
        String username = request.username();
        if (!Usernames.isValid(username)) {
            throw invalid("username must be " + Usernames.RULE);
        }
        String password = request.password();
        if (password == null || password.length() < PASSWORD_MIN || password.length() > PASSWORD_MAX) {
            throw invalid("password must be " + PASSWORD_MIN + ".." + PASSWORD_MAX + " characters");
        }
        String displayName = request.displayName() == null ? username : request.displayName().strip();
        String fault = DisplayNames.fault(displayName);
        if (fault != null) {
            throw invalid(fault);
        }
        // Before the taken check: answering 409 tells whether a name exists.
        throttle.admitRegistration(clientAddress);
        // Cheap early answer for the common case; the insert below settles races.
        if (accounts.usernameTaken(username)) {
            throw taken(username);
        }
        Account account = new Account();
        account.username = username;
        account.passwordHash = passwords.hash(password);
        account.createdAt = System.currentTimeMillis();
        try {
            account.userId = userIds.next();
        } catch (RuntimeException e) {
            LOG.warnf("leaf unavailable for registration: %s", e.toString());
            throw new ProblemException(ProblemCode.UNAVAILABLE, "cannot allocate a user id now; retry later");
        }
        if (!accounts.create(account)) {
            throw taken(username);
        }
        try {
            profiles.ensure(account.userId, username, displayName);
        } catch (RuntimeException e) {
            LOG.warnf("profile of new user %d not created: %s", account.userId, e.toString());
            throw new ProblemException(ProblemCode.UNAVAILABLE,
                    "account created but its profile is not ready; log in to finish");
        }
        return new RegisteredAccount(account.userId, username, displayName);
    }

    /**
     * Creates an account for a user who proved who they are to an outside provider: no password
     * anyone knows (the hash of random bytes, so a password login fails like any wrong password).
     * Empty when the username is taken; the provider's display name is made storable
     * ({@link DisplayNames#sanitized}), the username when nothing of it is left. Not counted against
     * the address: the provider login was (at its start).
     */
    public Optional<Account> registerExternal(String username, String displayName) {
        if (!Usernames.isValid(username)) {
            throw new IllegalArgumentException("not a valid username: " + username);
        }
        String shown = DisplayNames.sanitized(displayName, username);
        byte[] unknowable = new byte[32];
        RANDOM.nextBytes(unknowable);
        Account account = new Account();
        account.username = username;
        account.passwordHash = passwords.hash(Base64.getEncoder().encodeToString(unknowable));
        account.createdAt = System.currentTimeMillis();
        try {
            account.userId = userIds.next();
        } catch (RuntimeException e) {
            LOG.warnf("leaf unavailable for registration: %s", e.toString());
            throw new ProblemException(ProblemCode.UNAVAILABLE, "cannot allocate a user id now; retry later");
        }
        if (!accounts.create(account)) {
            return Optional.empty();
        }
        try {
            profiles.ensure(account.userId, username, shown);
        } catch (RuntimeException e) {
            // The session start that follows ensures the profile again, and answers 503 if it fails.
            LOG.warnf("profile of new user %d not created: %s", account.userId, e.toString());
        }
        return Optional.of(account);
    }

    /**
     * Checks the password and starts a new session (a new refresh-token family). Counts the login
     * against the client's address and against the account first (429 past either limit, the
     * right password included); a right password clears the account's count.
     */
    public Tokens login(LoginRequest request, String clientAddress) {
        return startSession(authenticate(request, clientAddress));
    }

    /**
     * The account whose password this is, under login's limits (429 past either, 401 for a wrong
     * name or password); a right password clears the account's count. Login, and linking an
     * outside identity to an existing account, both prove ownership this way.
     */
    public Account authenticate(LoginRequest request, String clientAddress) {
        String username = request == null ? null : request.username();
        String password = request == null ? null : request.password();
        if (username == null || password == null || username.isEmpty() || username.length() > Usernames.MAX
                || password.length() > PASSWORD_MAX) {
            throw invalid("username (1.." + Usernames.MAX + ") and password (at most " + PASSWORD_MAX
                    + ") are required");
        }
        throttle.admitLogin(clientAddress);
        Optional<Account> found = accounts.findByUsername(username);
        // Counted under the stored name: the lookup ignores case (and, on MySQL, accents), so
        // "Alice" and "alice" are one account and must share one count. A name no account has
        // counts too, so that refusals do not tell which names exist.
        String counted = found.map(a -> a.username).orElse(username.toLowerCase(Locale.ROOT));
        throttle.admitAccountLogin(counted);
        if (found.isEmpty()) {
            passwords.spendOneHash(password);
            throw wrongCredentials();
        }
        Account account = found.get();
        if (!passwords.matches(password, account.passwordHash)) {
            throw wrongCredentials();
        }
        throttle.loginSucceeded(counted);
        return account;
    }

    /**
     * Starts a new session (a new refresh-token family) for an account whose owner is proven;
     * 403 {@code ACCOUNT_BANNED} for a banned account, whichever way it proved itself.
     */
    public Tokens startSession(Account account) {
        if (account.banned) {
            throw banned();
        }
        try {
            // Repairs a registration whose profile step failed; a no-op otherwise. The display
            // name only matters when the profile is missing, and then the username is the default.
            profiles.ensure(account.userId, account.username, account.username);
        } catch (RuntimeException e) {
            LOG.warnf("profile of user %d not ensured at login: %s", account.userId, e.toString());
            throw new ProblemException(ProblemCode.UNAVAILABLE, "user directory unavailable; retry later");
        }
        RefreshTokens.Family family = refreshTokens.start(account.userId);
        return Tokens.bearer(account.userId, account.username,
                accessTokens.issue(account.userId, account.username, family.familyId()),
                family.refreshToken(), accessTokens.ttlSeconds());
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemCode.INVALID_ARGUMENT, detail);
    }

    private static ProblemException taken(String username) {
        return new ProblemException(ProblemCode.USERNAME_TAKEN, "username " + username + " is taken");
    }

    /** A banned account's login or refresh. */
    public static ProblemException banned() {
        return new ProblemException(ProblemCode.ACCOUNT_BANNED, "this account is banned");
    }

    private static ProblemException wrongCredentials() {
        return new ProblemException(ProblemCode.UNAUTHENTICATED, "wrong username or password");
    }
}

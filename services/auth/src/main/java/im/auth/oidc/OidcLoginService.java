package im.auth.oidc;

import im.auth.account.Account;
import im.auth.account.AccountService;
import im.auth.account.Accounts;
import im.auth.account.LoginRequest;
import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import im.auth.throttle.AuthThrottle;
import im.auth.token.Tokens;
import im.common.profile.Usernames;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Login through an outside provider, device style: the client starts a login and gets a URL for
 * the browser and a login id; the provider sends the browser back to the callback, where this
 * server trades the code (with the PKCE verifier) for the provider's token, reads who the user
 * is, and finds, creates or offers to link the account; the client polls with its login id and
 * collects this system's own tokens. The provider's tokens are used once and dropped.
 */
@ApplicationScoped
public class OidcLoginService {

    private static final Logger LOG = Logger.getLogger(OidcLoginService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes in base64url; anything longer is not a login id of ours. */
    private static final int MAX_LOGIN_ID = 64;
    /** Suffixes tried when the derived username belongs to another linked account. */
    private static final int NUMBERED_CANDIDATES = 20;

    private final OidcConfig config;
    private final OidcLogins logins;
    private final ProviderClient providers;
    private final Accounts accounts;
    private final AccountService accountService;
    private final AuthThrottle throttle;

    public OidcLoginService(OidcConfig config, OidcLogins logins, ProviderClient providers, Accounts accounts,
            AccountService accountService, AuthThrottle throttle) {
        this.config = config;
        this.logins = logins;
        this.providers = providers;
        this.accounts = accounts;
        this.accountService = accountService;
        this.throttle = throttle;
    }

    /** A poll's answer: this system's tokens, or (while there are none yet) the login's status. */
    public record PollOutcome(Tokens tokens, PollStatus status) {
    }

    /** Starts a login; counted like a password login against the client's address. */
    public StartedLogin start(String providerName, String clientAddress) {
        OidcConfig.Provider provider = enabled(providerName);
        throttle.admitLogin(clientAddress);
        String loginId = random(32);
        String stateRef = random(16);
        String stateSecret = random(32);
        String verifier = random(32);
        PendingLogin login = new PendingLogin();
        login.loginHash = sha256Hex(loginId);
        login.stateRef = stateRef;
        login.stateHash = sha256Hex(stateSecret);
        login.provider = providerName;
        login.codeVerifier = verifier;
        login.status = PendingLogin.Status.WAITING;
        login.expiresAt = System.currentTimeMillis() + config.pendingTtl().toMillis();
        logins.start(login);
        String authorize = provider.authorizeUrl() + (provider.authorizeUrl().contains("?") ? "&" : "?")
                + "response_type=code"
                + "&client_id=" + encode(provider.clientId().get())
                + "&redirect_uri=" + encode(redirectUri(providerName))
                + "&scope=" + encode(provider.scopes())
                + "&state=" + encode(stateRef + "." + stateSecret)
                + "&code_challenge=" + encode(challenge(verifier))
                + "&code_challenge_method=S256";
        return new StartedLogin(authorize, loginId, config.pendingTtl().toSeconds());
    }

    /**
     * The provider's redirect. Answers what to show in the browser; throws a problem (also shown in
     * the browser) when the login failed, after recording the failure for the client's poll when
     * the state names a login.
     */
    public String callback(String providerName, String code, String state, String error) {
        OidcConfig.Provider provider = enabled(providerName);
        int dot = state == null ? -1 : state.indexOf('.');
        if (dot <= 0) {
            throw new ProblemException(ProblemCode.OIDC_STATE_MISMATCH, "the callback carries no state of a login");
        }
        Optional<PendingLogin> found = logins.findByStateRef(state.substring(0, dot))
                .filter(login -> login.provider.equals(providerName));
        if (found.isEmpty()) {
            throw new ProblemException(ProblemCode.OIDC_STATE_MISMATCH, "the callback's state names no login");
        }
        PendingLogin login = found.get();
        if (login.expiresAt <= System.currentTimeMillis()) {
            logins.delete(login.loginHash);
            throw new ProblemException(ProblemCode.OIDC_LOGIN_EXPIRED, "this login expired; start again");
        }
        if (!MessageDigest.isEqual(sha256Hex(state.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII),
                login.stateHash.getBytes(StandardCharsets.US_ASCII))) {
            throw failed(login, ProblemCode.OIDC_STATE_MISMATCH);
        }
        if (error != null) {
            LOG.debugf("provider %s answered error=%s", providerName, error);
            throw failed(login, "access_denied".equals(error) ? ProblemCode.OIDC_DENIED : ProblemCode.OIDC_PROVIDER_ERROR);
        }
        if (code == null || code.isEmpty()) {
            throw failed(login, ProblemCode.OIDC_PROVIDER_ERROR);
        }
        if (!logins.claim(login.loginHash)) {
            throw new ProblemException(ProblemCode.OIDC_LOGIN_EXPIRED, "this login was answered already");
        }
        try {
            ExternalIdentity identity = providers.identify(providerName, provider, code, redirectUri(providerName),
                    login.codeVerifier);
            return settle(login, providerName, identity);
        } catch (ProblemException e) {
            logins.fail(login.loginHash, e.code().name(), PendingLogin.Status.EXCHANGING);
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("login through %s failed: %s", providerName, e.toString());
            logins.fail(login.loginHash, ProblemCode.UNAVAILABLE.name(), PendingLogin.Status.EXCHANGING);
            throw new ProblemException(ProblemCode.UNAVAILABLE, "the login could not be finished; start again");
        }
    }

    /**
     * The client's poll: this system's tokens once the login is done (then the login is gone),
     * a status while it is not, a problem when it failed (reported once) or is unknown.
     */
    public PollOutcome poll(PollRequest request) {
        PendingLogin login = pending(request == null ? null : request.loginId());
        switch (login.status) {
            case DONE:
                if (!logins.collect(login.loginHash, PendingLogin.Status.DONE)) {
                    throw expired();
                }
                // Read again: the account may have been banned (or removed) since the callback.
                Account account = accounts.findById(login.userId).orElseThrow(OidcLoginService::expired);
                return new PollOutcome(accountService.startSession(account), null);
            case LINK_REQUIRED:
                return new PollOutcome(null, PollStatus.linkRequired(login.username));
            case FAILED:
                if (!logins.collect(login.loginHash, PendingLogin.Status.FAILED)) {
                    throw expired();
                }
                ProblemCode code = ProblemCode.valueOf(login.failure);
                throw new ProblemException(code, describe(code));
            default:
                return new PollOutcome(null, PollStatus.PENDING);
        }
    }

    /**
     * Links the login's identity to an existing account whose password the caller gives (counted
     * like a password login), then starts a session for it.
     */
    public Tokens link(LinkRequest request, String clientAddress) {
        PendingLogin login = pending(request == null ? null : request.loginId());
        if (login.status != PendingLogin.Status.LINK_REQUIRED) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "this login is not waiting for a link");
        }
        Account account = accountService.authenticate(new LoginRequest(request.username(), request.password()),
                clientAddress);
        if (!logins.collect(login.loginHash, PendingLogin.Status.LINK_REQUIRED)) {
            throw expired();
        }
        long linked = logins.link(login.provider, login.subject, account.userId);
        if (linked != account.userId) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT,
                    "this " + login.provider + " user is linked to another account already");
        }
        return accountService.startSession(account);
    }

    /** Finds the linked account, or creates one, or asks for a link; records the outcome for the poll. */
    private String settle(PendingLogin login, String providerName, ExternalIdentity identity) {
        Optional<Long> linked = logins.linkedUser(providerName, identity.subject());
        if (linked.isPresent()) {
            String username = accounts.usernameOf(linked.get()).orElseThrow(
                    () -> new IllegalStateException("identity linked to a missing account " + linked.get()));
            logins.done(login.loginHash, identity.subject(), linked.get(), username);
            return "Logged in as " + username + ". You can close this window and return to the app.";
        }
        String base = deriveUsername(providerName, identity);
        for (int n = 1; n <= NUMBERED_CANDIDATES + 1; n++) {
            String candidate = n == 1 ? base
                    : n <= NUMBERED_CANDIDATES ? numbered(base, Integer.toString(n)) : numbered(base, random(4));
            Optional<Account> existing = accounts.findByUsername(candidate);
            if (existing.isPresent()) {
                if (n == 1 && !logins.accountLinked(providerName, existing.get().userId)) {
                    // Someone here already uses this name and has not linked this provider: maybe
                    // the same person. Only its password may join the two.
                    logins.linkRequired(login.loginHash, identity.subject(), existing.get().username);
                    return "An account named " + existing.get().username + " exists. Return to the app and"
                            + " give its password to link it.";
                }
                continue;
            }
            Optional<Account> created = accountService.registerExternal(candidate, identity.displayName());
            if (created.isEmpty()) {
                continue;
            }
            long userId = logins.link(providerName, identity.subject(), created.get().userId);
            String username = userId == created.get().userId ? candidate
                    : accounts.usernameOf(userId).orElse(candidate);
            logins.done(login.loginHash, identity.subject(), userId, username);
            return "Logged in as " + username + ". You can close this window and return to the app.";
        }
        throw new ProblemException(ProblemCode.UNAVAILABLE, "no free username found; start again");
    }

    /**
     * The provider's login, lower-cased, other characters made '_' and cut to this system's
     * username rule; {@code <provider>-<subject>} when that leaves no letter or digit, or too few
     * characters.
     */
    static String deriveUsername(String providerName, ExternalIdentity identity) {
        String fromLogin = sanitize(identity.login());
        boolean usable = fromLogin.length() >= Usernames.MIN && fromLogin.chars().anyMatch(Character::isLetterOrDigit);
        String base = usable ? fromLogin : sanitize(providerName + "-" + identity.subject());
        return base.length() > Usernames.MAX ? base.substring(0, Usernames.MAX) : base;
    }

    private static String sanitize(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char c : raw.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append(Usernames.isAllowed(c) ? c : '_');
        }
        return out.toString();
    }

    private static String numbered(String base, String suffix) {
        String tail = "-" + suffix;
        String head = base.length() + tail.length() > Usernames.MAX ? base.substring(0, Usernames.MAX - tail.length())
                : base;
        return head + tail;
    }

    private PendingLogin pending(String loginId) {
        if (loginId == null || loginId.isEmpty() || loginId.length() > MAX_LOGIN_ID) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "loginId required");
        }
        PendingLogin login = logins.find(sha256Hex(loginId)).orElseThrow(OidcLoginService::expired);
        if (login.expiresAt <= System.currentTimeMillis()) {
            logins.delete(login.loginHash);
            throw expired();
        }
        return login;
    }

    private ProblemException failed(PendingLogin login, ProblemCode code) {
        logins.fail(login.loginHash, code.name(), PendingLogin.Status.WAITING);
        return new ProblemException(code, describe(code));
    }

    private static String describe(ProblemCode code) {
        switch (code) {
            case OIDC_STATE_MISMATCH:
                return "the provider's answer does not belong to this login; start again";
            case OIDC_DENIED:
                return "consent was refused at the login provider";
            case OIDC_EMAIL_UNVERIFIED:
                return "the provider account has no verified email address; verify one there and start again";
            case OIDC_PROVIDER_ERROR:
                return "the login provider refused or failed; start again";
            default:
                return "the login failed; start again";
        }
    }

    private static ProblemException expired() {
        return new ProblemException(ProblemCode.OIDC_LOGIN_EXPIRED, "unknown or expired login; start again");
    }

    private OidcConfig.Provider enabled(String providerName) {
        OidcConfig.Provider provider = providerName == null ? null : config.providers().get(providerName);
        if (provider == null || provider.clientId().filter(id -> !id.isBlank()).isEmpty()) {
            throw new ProblemException(ProblemCode.OIDC_PROVIDER_UNKNOWN, "no login provider " + providerName);
        }
        return provider;
    }

    private String redirectUri(String providerName) {
        String base = config.redirectBaseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/auth/oidc/" + providerName + "/callback";
    }

    private static String random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** RFC 7636 S256: base64url(SHA-256(verifier)). */
    static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    private static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

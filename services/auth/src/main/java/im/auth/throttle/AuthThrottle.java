package im.auth.throttle;

import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import im.common.throttle.AttemptCounter;
import im.common.throttle.AttemptCounterUnavailableException;
import im.common.throttle.AttemptKey;
import im.common.throttle.Attempts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The login and registration limits ({@link ThrottleConfig}) on top of the {@link AttemptCounter}
 * of this app's mode. Each check counts the attempt and throws {@link ProblemCode#RATE_LIMITED}
 * (429, with the seconds until the window ends) when it is one too many; a counter that cannot
 * answer makes the attempt 503, never a free pass.
 *
 * <p>An account's count is of logins not known to have succeeded: the check counts every login
 * of the account before its password is checked, and a success clears the count. So of any
 * number of concurrent guesses at most the limit get their password checked in a window.
 *
 * <p>Blocking (the counter may be Redis): call from a worker thread.
 */
@ApplicationScoped
public class AuthThrottle {

    private static final Logger LOG = Logger.getLogger(AuthThrottle.class);
    private static final String ACCOUNT = "login-account";
    private static final String ADDRESS_LOGINS = "login-address";
    private static final String ADDRESS_REGISTRATIONS = "register-address";

    private final AttemptCounter counter;
    private final ThrottleConfig config;
    private final Counter refusedAccount;
    private final Counter refusedAddressLogin;
    private final Counter refusedAddressRegistration;

    public AuthThrottle(AttemptCounter counter, ThrottleConfig config, MeterRegistry registry) {
        this.counter = counter;
        this.config = config;
        this.refusedAccount = refused(registry, ACCOUNT);
        this.refusedAddressLogin = refused(registry, ADDRESS_LOGINS);
        this.refusedAddressRegistration = refused(registry, ADDRESS_REGISTRATIONS);
    }

    /** A login attempt from this client address, before anything else is looked at. */
    public void admitLogin(String clientAddress) {
        Attempts attempts = hit(new AttemptKey(ADDRESS_LOGINS, clientAddress), config.addressLoginWindow());
        if (attempts.count() > config.addressLogins()) {
            refusedAddressLogin.increment();
            throw refusal("too many logins from this address", attempts);
        }
    }

    /**
     * A login of this account (its stored username, or the name given when no account has it),
     * before its password is checked; counted as failed until {@link #loginSucceeded} says otherwise.
     */
    public void admitAccountLogin(String account) {
        Attempts attempts = hit(new AttemptKey(ACCOUNT, account), config.accountWindow());
        if (attempts.count() > config.accountFailures()) {
            refusedAccount.increment();
            throw refusal("too many failed logins of this account", attempts);
        }
    }

    /** The password was right: the account's failures are forgiven. */
    public void loginSucceeded(String account) {
        try {
            counter.clear(new AttemptKey(ACCOUNT, account));
        } catch (AttemptCounterUnavailableException e) {
            // The user is in; the count runs out with its window.
            LOG.warnf("login failures of an account not cleared: %s", e.getMessage());
        }
    }

    /** A registration from this client address, after the request's shape was checked. */
    public void admitRegistration(String clientAddress) {
        Attempts attempts = hit(new AttemptKey(ADDRESS_REGISTRATIONS, clientAddress),
                config.addressRegistrationWindow());
        if (attempts.count() > config.addressRegistrations()) {
            refusedAddressRegistration.increment();
            throw refusal("too many registrations from this address", attempts);
        }
    }

    private Attempts hit(AttemptKey key, Duration window) {
        try {
            return counter.hit(key, window);
        } catch (AttemptCounterUnavailableException e) {
            LOG.warnf("attempt not counted, refused with 503: %s", e.getMessage());
            throw new ProblemException(ProblemCode.UNAVAILABLE, "cannot count attempts now; retry later");
        }
    }

    private static ProblemException refusal(String why, Attempts attempts) {
        long seconds = attempts.retryAfterSeconds();
        return ProblemException.rateLimited(why + "; try again in " + seconds + " s", seconds);
    }

    private static Counter refused(MeterRegistry registry, String limit) {
        return Counter.builder("im.auth.throttle.refused")
                .description("Logins and registrations refused with 429, by the limit they met")
                .tag("limit", limit)
                .register(registry);
    }
}

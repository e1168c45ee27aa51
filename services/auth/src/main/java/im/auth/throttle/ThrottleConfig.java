package im.auth.throttle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How many logins and registrations auth answers before it refuses with 429. Windows are fixed:
 * a key's first attempt opens one, and its count starts over when it ends.
 */
@ConfigMapping(prefix = "im.auth.throttle")
public interface ThrottleConfig {

    /**
     * Failed logins of one account per window; past them every login of the account, the right
     * password included, is refused until the window ends. 5 in 15 minutes leaves a user who
     * mistypes room to retry, and an online guesser 480 guesses a day against one account instead
     * of one per hash time. A successful login clears the count.
     */
    @WithDefault("5")
    int accountFailures();

    @WithDefault("15m")
    Duration accountWindow();

    /**
     * Login attempts from one client address per window, right or wrong. 30 a minute is far
     * more than a person or a household behind one address makes, and bounds how fast one
     * address can try passwords across many accounts (which the account limit does not see).
     */
    @WithDefault("30")
    int addressLogins();

    @WithDefault("1m")
    Duration addressLoginWindow();

    /**
     * Registrations from one client address per window, taken or not. 10 an hour lets a family or
     * an office sign up together while making mass account creation, and probing which usernames
     * exist (409), slow from any one address.
     */
    @WithDefault("10")
    int addressRegistrations();

    @WithDefault("1h")
    Duration addressRegistrationWindow();
}

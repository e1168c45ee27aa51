package im.auth.ban;

import im.auth.account.Accounts;
import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import im.auth.token.SessionEnds;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Banning: a banned account may not log in or refresh (403 {@code ACCOUNT_BANNED}), and a ban
 * ends every session it has, live connections included. Unbanning lets it log in again; the
 * sessions the ban ended stay ended.
 */
@ApplicationScoped
public class Bans {

    private final Accounts accounts;
    private final SessionEnds sessionEnds;

    public Bans(Accounts accounts, SessionEnds sessionEnds) {
        this.accounts = accounts;
        this.sessionEnds = sessionEnds;
    }

    /**
     * Sets the flag first, so no login or refresh starts a session after the sessions are ended;
     * one that raced it is caught by ending the tokens of the current second too. Banning a
     * banned account ends its sessions again, which changes nothing.
     *
     * @throws ProblemException NOT_FOUND for an unknown account, UNAVAILABLE when the sessions
     *         could not be told (the ban stands; calling again finishes it)
     */
    public void ban(long userId) {
        if (!accounts.setBanned(userId, true)) {
            throw unknown(userId);
        }
        sessionEnds.endAll(userId, true);
    }

    /** Lets the account log in again. */
    public void unban(long userId) {
        // A ban refuses every token of the user issued up to the end of its second (iat counts
        // whole seconds). A login let in by this unban must fall in a later second, or its tokens
        // would be refused as the ban's: wait out the current second (at most one) first.
        try {
            Thread.sleep(1000 - Instant.now().toEpochMilli() % 1000 + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("unban interrupted", e);
        }
        if (!accounts.setBanned(userId, false)) {
            throw unknown(userId);
        }
    }

    private static ProblemException unknown(long userId) {
        return new ProblemException(ProblemCode.NOT_FOUND, "no account " + userId);
    }
}

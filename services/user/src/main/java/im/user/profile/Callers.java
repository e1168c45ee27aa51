package im.user.profile;

import io.quarkus.security.UnauthorizedException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The user a REST call acts for: the verified access token's subject. */
public final class Callers {

    private Callers() {
    }

    public static long userId(JsonWebToken token) {
        try {
            return Long.parseLong(token.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            throw new UnauthorizedException("access token has no user id");
        }
    }
}

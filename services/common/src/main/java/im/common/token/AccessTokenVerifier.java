package im.common.token;

import im.protocol.client.ErrorCode;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Verifies access tokens locally with the keys auth publishes (JWKS, configured through
 * {@code mp.jwt.verify.*}); no call to auth per token. Shared by every service that accepts a
 * user's token outside HTTP (the push edge's Hello, gRPC metadata).
 *
 * <p>The first verification may fetch the JWKS over HTTP: call it from a worker thread, never
 * from an event loop.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private final JWTParser parser;

    public AccessTokenVerifier(JWTParser parser) {
        this.parser = parser;
    }

    public VerifiedUser verify(String token) throws TokenRejectedException {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException(ErrorCode.UNAUTHENTICATED, "no access token", null);
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            if (hasExpired(e)) {
                throw new TokenRejectedException(ErrorCode.TOKEN_EXPIRED, "access token expired", e);
            }
            throw new TokenRejectedException(ErrorCode.UNAUTHENTICATED, "access token rejected", e);
        }
        long userId;
        try {
            userId = Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            throw new TokenRejectedException(ErrorCode.UNAUTHENTICATED, "access token has no user id", e);
        }
        return new VerifiedUser(userId, jwt.getName(), jwt.getGroups(), jwt.getExpirationTime());
    }

    private static boolean hasExpired(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return true;
            }
        }
        return false;
    }
}

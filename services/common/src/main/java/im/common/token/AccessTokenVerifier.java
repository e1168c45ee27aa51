package im.common.token;

import im.protocol.client.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Verifies access tokens locally with the keys auth publishes (JWKS, configured through
 * {@code mp.jwt.verify.*}); no call to auth per token. Shared by every service that accepts a
 * user's token outside HTTP (the push edge's Hello, gRPC metadata).
 *
 * <p>A token that verified once is remembered until it expires: a session presents the same
 * token with every send and ack, and the signature check is by far the most expensive step of a
 * send (profiled: three quarters of the server's CPU went to Ed25519 before this cache). Only
 * successes are remembered, and an entry never outlives its token's {@code exp}.
 *
 * <p>The first verification may fetch the JWKS over HTTP: call it from a worker thread, never
 * from an event loop.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private final JWTParser parser;
    private final Cache<String, VerifiedUser> verified;

    public AccessTokenVerifier(JWTParser parser, TokenCacheConfig config) {
        this.parser = parser;
        this.verified = Caffeine.newBuilder()
                .maximumSize(config.maxSize())
                .expireAfter(Expiry.creating((String token, VerifiedUser user) -> untilExpiry(user)))
                .build();
    }

    /**
     * The token's user when the token verified before and has not expired; null otherwise (then
     * {@link #verify} tells why, or verifies it). Never blocks: an event loop may ask.
     */
    public VerifiedUser verifiedBefore(String token) {
        VerifiedUser user = token == null ? null : verified.getIfPresent(token);
        return user == null || untilExpiry(user).isZero() ? null : user;
    }

    public VerifiedUser verify(String token) throws TokenRejectedException {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException(ErrorCode.UNAUTHENTICATED, "no access token", null);
        }
        VerifiedUser user = verified.getIfPresent(token);
        boolean checkedNow = user == null;
        if (checkedNow) {
            user = check(token);
        }
        // The token's exp is final, whether the user comes from the cache or from the parser
        // (smallrye-jwt would accept a token up to a minute past exp).
        if (untilExpiry(user).isZero()) {
            throw new TokenRejectedException(ErrorCode.TOKEN_EXPIRED, "access token expired", null);
        }
        if (checkedNow) {
            verified.put(token, user);
        }
        return user;
    }

    private static Duration untilExpiry(VerifiedUser user) {
        long seconds = user.expiresAtEpochSecond() - Instant.now().getEpochSecond();
        return seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
    }

    private VerifiedUser check(String token) throws TokenRejectedException {
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

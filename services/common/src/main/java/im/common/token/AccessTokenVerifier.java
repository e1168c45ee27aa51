package im.common.token;

import im.common.access.Permissions;
import im.common.revocation.SessionRevocations;
import im.protocol.client.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
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
 * successes are remembered, and an entry never outlives its token's {@code exp}. Every answer,
 * remembered or not, also asks {@link SessionRevocations} (from memory): a revoked login's token
 * is refused with SESSION_REVOKED although its signature and expiry are fine.
 *
 * <p>The first verification may fetch the JWKS over HTTP: call it from a worker thread, never
 * from an event loop.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    /** The claim naming the login (refresh-token family) a token belongs to. */
    public static final String SESSION_ID_CLAIM = "sid";

    private final JWTParser parser;
    private final SessionRevocations revocations;
    private final Cache<String, VerifiedUser> verified;

    /**
     * Takes the revocations through {@link Instance} so that an app holding this class without
     * using it (leaf) needs no form of the seam; an app that uses it and lacks one fails here, at
     * the verifier's creation, naming the seam.
     */
    @Inject
    public AccessTokenVerifier(JWTParser parser, TokenCacheConfig config, Instance<SessionRevocations> revocations) {
        this(parser, config, revocations.get());
    }

    public AccessTokenVerifier(JWTParser parser, TokenCacheConfig config, SessionRevocations revocations) {
        this.parser = parser;
        this.revocations = revocations;
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
        return user == null || untilExpiry(user).isZero() || revocations.isRevoked(user) ? null : user;
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
        // Asked of remembered tokens too: a revocation must bite on the session's next call.
        if (revocations.isRevoked(user)) {
            throw new TokenRejectedException(ErrorCode.SESSION_REVOKED, "session revoked", null);
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
        return new VerifiedUser(userId, jwt.getName(), ClaimSets.shared(jwt.getGroups()),
                ClaimSets.shared(permissionsOf(jwt)), jwt.getExpirationTime(), sessionIdOf(jwt), jwt.getIssuedAtTime());
    }

    /** The {@code sid} claim, or null in a token issued before sessions had ids. */
    static String sessionIdOf(JsonWebToken jwt) {
        Object claim = jwt.getClaim(SESSION_ID_CLAIM);
        String sid = claim instanceof JsonString text ? text.getString() : claim == null ? null : claim.toString();
        return sid == null || sid.isEmpty() ? null : sid;
    }

    /** The {@code perms} claim; a token without it (issued before permissions existed) grants none. */
    public static Set<String> permissionsOf(JsonWebToken jwt) {
        Object claim = jwt.getClaim(Permissions.CLAIM);
        if (!(claim instanceof Collection<?> values)) {
            return Set.of();
        }
        Set<String> permissions = new HashSet<>();
        for (Object value : values) {
            permissions.add(value instanceof JsonString text ? text.getString() : String.valueOf(value));
        }
        return Set.copyOf(permissions);
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

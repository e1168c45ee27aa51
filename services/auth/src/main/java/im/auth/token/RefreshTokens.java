package im.auth.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Opaque refresh tokens: 32 random bytes (base64url) given to the device, only their SHA-256
 * kept here. Each use rotates the token; a used token presented again means it was copied, so
 * the whole family (every token descended from that login) is revoked.
 */
@ApplicationScoped
public class RefreshTokens {

    /** Longest token accepted: 32 bytes are 43 base64url characters; anything longer is not ours. */
    public static final int MAX_TOKEN_LENGTH = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A login: its user, the family id that names it (the {@code sid} of its access tokens) and,
     * when one was just issued, its current refresh token.
     */
    public record Family(long userId, String familyId, String refreshToken) {
    }

    /** What presenting a refresh token came to. */
    public enum Outcome {
        /** Exchanged: {@link Rotation#family} holds the successor. */
        ROTATED,
        /** Not ours, malformed or expired. */
        UNKNOWN,
        /** Its family was revoked before (logout, logout everywhere, ban, an earlier reuse). */
        REVOKED,
        /** Already exchanged once: presented again, so copied. Its family is revoked now. */
        REUSED
    }

    /** The result of a refresh; {@code family} is null only for {@link Outcome#UNKNOWN}. */
    public record Rotation(Outcome outcome, Family family) {
    }

    private final RefreshTokenRepository tokens;
    private final TokenConfig config;

    public RefreshTokens(RefreshTokenRepository tokens, TokenConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    /** Starts a new family (a login) and answers it with its first token. */
    @Transactional
    public Family start(long userId) {
        String familyId = randomToken();
        return new Family(userId, familyId, issue(userId, familyId, System.currentTimeMillis()));
    }

    /**
     * Exchanges a token for its successor. A token already used revokes its family, and that
     * revocation commits even though the caller refuses the refresh.
     */
    @Transactional
    public Rotation rotate(String presented) {
        if (!wellFormed(presented)) {
            return new Rotation(Outcome.UNKNOWN, null);
        }
        long now = System.currentTimeMillis();
        Optional<RefreshToken> found = tokens.lock(hash(presented));
        if (found.isEmpty()) {
            return new Rotation(Outcome.UNKNOWN, null);
        }
        RefreshToken token = found.get();
        Family family = new Family(token.userId, token.familyId, null);
        if (token.revoked) {
            return new Rotation(Outcome.REVOKED, family);
        }
        if (token.usedAt != null) {
            tokens.revokeFamily(token.familyId);
            return new Rotation(Outcome.REUSED, family);
        }
        if (token.expiresAt <= now) {
            return new Rotation(Outcome.UNKNOWN, null);
        }
        token.usedAt = now;
        return new Rotation(Outcome.ROTATED,
                new Family(token.userId, token.familyId, issue(token.userId, token.familyId, now)));
    }

    /** Revokes the family of the token, if it is one of ours, and answers it. */
    @Transactional
    public Optional<Family> revoke(String presented) {
        if (!wellFormed(presented)) {
            return Optional.empty();
        }
        return tokens.lock(hash(presented)).map(token -> {
            tokens.revokeFamily(token.familyId);
            return new Family(token.userId, token.familyId, null);
        });
    }

    /** Revokes one family by its id (a refresh refused after it rotated, e.g. a ban that raced it). */
    @Transactional
    public void revokeFamily(String familyId) {
        tokens.revokeFamily(familyId);
    }

    /** Revokes every family of the user and answers the ids of those that were still live. */
    @Transactional
    public List<String> revokeAllOf(long userId) {
        List<String> live = tokens.liveFamiliesOf(userId, System.currentTimeMillis());
        tokens.revokeAllOf(userId);
        return live;
    }

    private String issue(long userId, String familyId, long now) {
        String raw = randomToken();
        RefreshToken token = new RefreshToken();
        token.tokenHash = hash(raw);
        token.userId = userId;
        token.familyId = familyId;
        token.expiresAt = now + config.refreshTtl().toMillis();
        token.revoked = false;
        tokens.persist(token);
        return raw;
    }

    private static boolean wellFormed(String presented) {
        return presented != null && !presented.isEmpty() && presented.length() <= MAX_TOKEN_LENGTH;
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}

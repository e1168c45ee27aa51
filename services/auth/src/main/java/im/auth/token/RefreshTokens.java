package im.auth.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
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

    /** The result of a successful refresh: whose it was and the token that replaces it. */
    public record Rotation(long userId, String refreshToken) {
    }

    private final RefreshTokenRepository tokens;
    private final TokenConfig config;

    public RefreshTokens(RefreshTokenRepository tokens, TokenConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    /** Starts a new family (a login) and answers its first token. */
    @Transactional
    public String start(long userId) {
        return issue(userId, randomToken(), System.currentTimeMillis());
    }

    /**
     * Exchanges a token for its successor. Empty when the token is unknown, expired, revoked or
     * already used; the last case revokes the family, and that revocation commits even though the
     * caller answers 401.
     */
    @Transactional
    public Optional<Rotation> rotate(String presented) {
        if (!wellFormed(presented)) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        Optional<RefreshToken> found = tokens.lock(hash(presented));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RefreshToken token = found.get();
        if (token.revoked) {
            return Optional.empty();
        }
        if (token.usedAt != null) {
            tokens.revokeFamily(token.familyId);
            return Optional.empty();
        }
        if (token.expiresAt <= now) {
            return Optional.empty();
        }
        token.usedAt = now;
        return Optional.of(new Rotation(token.userId, issue(token.userId, token.familyId, now)));
    }

    /** Revokes the family of the token, if it is one of ours. */
    @Transactional
    public void revoke(String presented) {
        if (!wellFormed(presented)) {
            return;
        }
        tokens.lock(hash(presented)).ifPresent(token -> tokens.revokeFamily(token.familyId));
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

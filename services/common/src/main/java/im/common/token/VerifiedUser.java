package im.common.token;

import java.util.Set;

/**
 * Who an access token names, after its signature, issuer and expiry were checked: the roles
 * ({@code groups}) and the permissions ({@code perms}, {@link im.common.access.Permissions}) auth
 * granted when it issued the token. {@code sessionId} ({@code sid}) names the login the token
 * belongs to (its refresh-token family, the same across refreshes; null in a token without one),
 * {@code issuedAtEpochSecond} is its {@code iat}: what a revocation is matched against
 * ({@link im.common.revocation.SessionRevocations}).
 */
public record VerifiedUser(long userId, String username, Set<String> roles, Set<String> permissions,
        long expiresAtEpochSecond, String sessionId, long issuedAtEpochSecond) {

    /** A plain set lookup: callers on the hot path (every send) ask it. */
    public boolean may(String permission) {
        return permissions.contains(permission);
    }
}

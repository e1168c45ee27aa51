package im.common.token;

import java.util.Set;

/** Who an access token names, after its signature, issuer and expiry were checked. */
public record VerifiedUser(long userId, String username, Set<String> roles, long expiresAtEpochSecond) {
}

package im.common.revocation;

import im.common.token.AccessTokenVerifier;
import im.common.token.VerifiedUser;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonString;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The REST side's revocation check: smallrye-jwt has verified the bearer token's signature and
 * expiry, and this refuses the identity when its session was revoked (an in-memory lookup, fine
 * on the event loop). The request then fails authentication: 401, with the problem body that
 * {@link RevokedSessionResponses} writes.
 */
@ApplicationScoped
public class RevokedSessionAugmentor implements SecurityIdentityAugmentor {

    /** Marks the authentication failure as a revocation, for the response. */
    static final String REVOKED = "im.session-revoked";

    // Empty in an app with no form of the seam: leaf, which takes no user's token. Every app that
    // serves users' REST calls (auth, user) carries a form by its adapter dependency.
    private final SessionRevocations revocations;

    public RevokedSessionAugmentor(Instance<SessionRevocations> revocations) {
        this.revocations = revocations.isResolvable() ? revocations.get() : null;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (revocations == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        long userId;
        try {
            userId = Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            return Uni.createFrom().item(identity);
        }
        Object sid = jwt.getClaim(AccessTokenVerifier.SESSION_ID_CLAIM);
        String sessionId = sid instanceof JsonString text ? text.getString() : sid == null ? null : sid.toString();
        VerifiedUser user = new VerifiedUser(userId, jwt.getName(), Set.of(), Set.of(), jwt.getExpirationTime(),
                sessionId == null || sessionId.isEmpty() ? null : sessionId, jwt.getIssuedAtTime());
        if (revocations.isRevoked(user)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("session revoked", Map.of(REVOKED, true)));
        }
        return Uni.createFrom().item(identity);
    }
}

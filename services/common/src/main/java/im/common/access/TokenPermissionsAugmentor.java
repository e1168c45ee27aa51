package im.common.access;

import im.common.token.AccessTokenVerifier;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives an HTTP caller the permissions its access token lists ({@link Permissions#CLAIM}), so that
 * {@code @PermissionsAllowed} on a REST endpoint checks the same strings as the gRPC services and
 * the push edge. The roles stay what smallrye-jwt reads from {@code groups}.
 */
@ApplicationScoped
public class TokenPermissionsAugmentor implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Set<String> permissions = AccessTokenVerifier.permissionsOf(jwt);
        if (permissions.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addPermissionsAsString(permissions).build());
    }
}

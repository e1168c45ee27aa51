package im.common.revocation;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers a request whose bearer token belongs to a revoked session with 401 and a problem body
 * whose {@code code} is {@code SESSION_REVOKED}, so a client can tell "log in again" from a
 * malformed token. Authentication runs before any resource (proactive), so its failure reaches
 * the router's failure handlers, not the resources' exception mappers.
 */
@ApplicationScoped
public class RevokedSessionResponses {

    private static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Not authenticated\",\"status\":401,"
            + "\"detail\":\"session revoked: log in again\",\"code\":\"SESSION_REVOKED\"}";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.failure() instanceof AuthenticationFailedException failed
                    && Boolean.TRUE.equals(failed.getAttribute(RevokedSessionAugmentor.REVOKED))
                    && !context.response().headWritten()) {
                context.response().setStatusCode(401)
                        .putHeader("Content-Type", "application/problem+json")
                        .putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"session revoked\"")
                        .end(BODY);
            } else {
                context.next();
            }
        });
    }
}

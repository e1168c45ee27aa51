package im.common.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers a request whose bearer token failed authentication (malformed, expired, signed by a key
 * the service does not trust) with 401 and an {@code UNAUTHENTICATED} problem body instead of
 * Quarkus' bare 401. Authentication runs before any resource (proactive), so its failure reaches the
 * router's failure handlers, not the resources' exception mappers: {@link SecurityProblems} answers
 * the refusals made inside Quarkus REST (no token, a token without the permission). By the time this
 * handler runs the authentication mechanism has put its challenge ({@code WWW-Authenticate}) on the
 * response; it is kept.
 * <p>
 * Ordered after {@code RevokedSessionResponses}, which answers a revoked session's token with its
 * own code. The body is built here with Vert.x' JSON rather than {@link Problem}: apps without
 * Quarkus REST (leaf, router, push) load this bean too, and {@link Problem} needs the REST API.
 */
@ApplicationScoped
public class AuthenticationFailureResponses {

    /** Short and the same for every cause: which check failed is no business of the caller. */
    static final String UNAUTHENTICATED_DETAIL = "this call needs a valid access token";
    static final String FORBIDDEN_DETAIL = "the access token does not allow this call";
    /** The challenge when the mechanism set none: every service takes bearer tokens only. */
    static final String BEARER_CHALLENGE = "Bearer";
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(context -> {
            HttpServerResponse response = context.response();
            if (context.failure() instanceof AuthenticationFailedException && !response.headWritten()) {
                if (response.headers().get(WWW_AUTHENTICATE) == null) {
                    response.putHeader(WWW_AUTHENTICATE, BEARER_CHALLENGE);
                }
                response.setStatusCode(401)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                        .end(body(401, RequestProblem.UNAUTHENTICATED, UNAUTHENTICATED_DETAIL));
            } else {
                context.next();
            }
        });
    }

    /** The fields of {@link Problem}, in its order. */
    static String body(int status, RequestProblem code, String detail) {
        return new JsonObject().put("type", "about:blank").put("title", code.title()).put("status", status)
                .put("detail", detail).put("code", code.name()).encode();
    }
}

package im.common.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Quarkus security's refusals inside Quarkus REST answered as problem bodies: 401
 * {@code UNAUTHENTICATED} for a call that needs a token and has none (or whose resource found the
 * token lacking, such as a subject that is no user id), with the authentication mechanism's
 * {@code WWW-Authenticate} challenge kept; 403 {@code FORBIDDEN} for a token without the permission
 * or role the call needs. These mappers take precedence over Quarkus' own for the same exceptions
 * (priority {@code USER} against its {@code USER + 1}), which answer without a body.
 * <p>
 * A token that fails authentication is refused before Quarkus REST runs, because authentication is
 * proactive in every app: {@link AuthenticationFailureResponses} answers that one. The mapper for
 * {@link AuthenticationFailedException} here covers the same failure should it surface inside a
 * call. Like {@link RequestProblems}, one class for every app that serves REST.
 */
public class SecurityProblems {

    @ServerExceptionMapper
    public Uni<Response> unauthorized(UnauthorizedException e, RoutingContext context) {
        return unauthenticated(context);
    }

    @ServerExceptionMapper
    public Uni<Response> authenticationFailed(AuthenticationFailedException e, RoutingContext context) {
        return unauthenticated(context);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        RequestProblem code = RequestProblem.FORBIDDEN;
        return Problem.of(403, code.title(), code.name(), AuthenticationFailureResponses.FORBIDDEN_DETAIL)
                .toResponse().build();
    }

    private static Uni<Response> unauthenticated(RoutingContext context) {
        return challenge(context).map(challenge -> {
            RequestProblem code = RequestProblem.UNAUTHENTICATED;
            return Problem.of(401, code.title(), code.name(), AuthenticationFailureResponses.UNAUTHENTICATED_DETAIL)
                    .toResponse().header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
        });
    }

    /** The challenge the request's authentication mechanism asks for, as Quarkus' own mapper sends it. */
    private static Uni<String> challenge(RoutingContext context) {
        HttpAuthenticator authenticator = context == null ? null : context.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return Uni.createFrom().item(AuthenticationFailureResponses.BEARER_CHALLENGE);
        }
        return authenticator.getChallenge(context)
                .map(SecurityProblems::wwwAuthenticate)
                .onFailure().recoverWithItem(AuthenticationFailureResponses.BEARER_CHALLENGE);
    }

    private static String wwwAuthenticate(ChallengeData challenge) {
        if (challenge != null) {
            for (Map.Entry<CharSequence, String> header : challenge.getHeaders().entrySet()) {
                if (HttpHeaders.WWW_AUTHENTICATE.equalsIgnoreCase(header.getKey().toString()) && header.getValue() != null) {
                    return header.getValue();
                }
            }
        }
        return AuthenticationFailureResponses.BEARER_CHALLENGE;
    }
}

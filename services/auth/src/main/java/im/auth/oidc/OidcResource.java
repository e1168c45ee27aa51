package im.auth.oidc;

import im.auth.problem.ProblemException;
import im.auth.throttle.ClientAddress;
import im.auth.token.Tokens;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Login through an outside provider (docs/architecture.md, "Login with Gitee"). Every endpoint
 * comes before a login, so none needs a token. Blocking (provider calls, JDBC, hashing): worker
 * threads.
 */
@Path("/auth/oidc")
@PermitAll
public class OidcResource {

    private final OidcLoginService logins;

    public OidcResource(OidcLoginService logins) {
        this.logins = logins;
    }

    @POST
    @Path("/{provider}/start")
    @Produces(MediaType.APPLICATION_JSON)
    public StartedLogin start(@PathParam("provider") String provider, @Context HttpServerRequest http) {
        return logins.start(provider, ClientAddress.of(http));
    }

    /** Where the provider sends the browser; answers a page for a person, never a token. */
    @GET
    @Path("/{provider}/callback")
    @Produces(MediaType.TEXT_HTML)
    public Response callback(@PathParam("provider") String provider, @QueryParam("code") String code,
            @QueryParam("state") String state, @QueryParam("error") String error) {
        try {
            return page(200, "Login finished", logins.callback(provider, code, state, error));
        } catch (ProblemException e) {
            return page(e.code().status(), "Login failed (" + e.code().name() + ")", e.getMessage());
        }
    }

    @POST
    @Path("/poll")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response poll(PollRequest request) {
        OidcLoginService.PollOutcome outcome = logins.poll(request);
        return outcome.tokens() != null ? Response.ok(outcome.tokens()).build()
                : Response.status(Response.Status.ACCEPTED).entity(outcome.status()).build();
    }

    @POST
    @Path("/link")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Tokens link(LinkRequest request, @Context HttpServerRequest http) {
        return logins.link(request, ClientAddress.of(http));
    }

    private static Response page(int status, String title, String message) {
        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(message) + "</p></body></html>";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)
                .header("Cache-Control", "no-store").build();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package im.auth.account;

import im.auth.throttle.ClientAddress;
import im.auth.token.Tokens;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Public endpoints: blocking (hashing, JDBC, gRPC, the attempt counter), so they run on worker
 * threads. Both count against the client's address ({@link ClientAddress}).
 */
@Path("/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;

    public AccountResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    @Path("/register")
    @PermitAll
    public Response register(RegisterRequest request, @Context HttpServerRequest http) {
        return Response.status(Response.Status.CREATED)
                .entity(accounts.register(request, ClientAddress.of(http))).build();
    }

    @POST
    @Path("/login")
    @PermitAll
    public Tokens login(LoginRequest request, @Context HttpServerRequest http) {
        return accounts.login(request, ClientAddress.of(http));
    }
}

package im.auth.account;

import im.auth.token.Tokens;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Public endpoints: blocking (hashing, JDBC, gRPC), so they run on worker threads. */
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
    public Response register(RegisterRequest request) {
        return Response.status(Response.Status.CREATED).entity(accounts.register(request)).build();
    }

    @POST
    @Path("/login")
    public Tokens login(LoginRequest request) {
        return accounts.login(request);
    }
}

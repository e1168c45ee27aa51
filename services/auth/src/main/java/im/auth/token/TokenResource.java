package im.auth.token;

import im.auth.account.Accounts;
import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/auth")
public class TokenResource {

    private final RefreshTokens refreshTokens;
    private final AccessTokens accessTokens;
    private final SigningKeys keys;
    private final Accounts accounts;

    public TokenResource(RefreshTokens refreshTokens, AccessTokens accessTokens, SigningKeys keys, Accounts accounts) {
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.keys = keys;
        this.accounts = accounts;
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Tokens refresh(RefreshRequest body) {
        RefreshTokens.Rotation rotation = refreshTokens.rotate(body == null ? null : body.refreshToken())
                .orElseThrow(() -> new ProblemException(ProblemCode.UNAUTHENTICATED,
                        "refresh token unknown, expired, revoked or already used"));
        String username = accounts.usernameOf(rotation.userId())
                .orElseThrow(() -> new ProblemException(ProblemCode.UNAUTHENTICATED, "account no longer exists"));
        return Tokens.bearer(rotation.userId(), username, accessTokens.issue(rotation.userId(), username),
                rotation.refreshToken(), accessTokens.ttlSeconds());
    }

    /** Always 204: whether the token was known is nobody's business. */
    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_JSON)
    public void logout(RefreshRequest body) {
        refreshTokens.revoke(body == null ? null : body.refreshToken());
    }

    @GET
    @Path("/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public String jwks() {
        return keys.jwks();
    }
}

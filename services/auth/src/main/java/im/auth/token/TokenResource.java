package im.auth.token;

import im.auth.account.AccountService;
import im.auth.account.Accounts;
import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/auth")
public class TokenResource {

    private static final String REFUSED = "refresh token unknown, expired, revoked or already used";

    private final RefreshTokens refreshTokens;
    private final AccessTokens accessTokens;
    private final SigningKeys keys;
    private final Accounts accounts;
    private final SessionEnds sessionEnds;
    private final JsonWebToken caller;

    public TokenResource(RefreshTokens refreshTokens, AccessTokens accessTokens, SigningKeys keys, Accounts accounts,
            SessionEnds sessionEnds, JsonWebToken caller) {
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.keys = keys;
        this.accounts = accounts;
        this.sessionEnds = sessionEnds;
        this.caller = caller;
    }

    /**
     * A new access token and the next refresh token of the same login (the same {@code sid}). A
     * reused token revokes its login, access tokens included; a banned account gets 403
     * {@code ACCOUNT_BANNED} rather than the 401 its revoked tokens would otherwise earn.
     */
    @POST
    @Path("/refresh")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Tokens refresh(RefreshRequest body) {
        RefreshTokens.Rotation rotation = refreshTokens.rotate(body == null ? null : body.refreshToken());
        RefreshTokens.Family family = rotation.family();
        switch (rotation.outcome()) {
            case UNKNOWN -> throw new ProblemException(ProblemCode.UNAUTHENTICATED, REFUSED);
            case REUSED -> {
                sessionEnds.endRevokedFamily(family);
                throw new ProblemException(ProblemCode.UNAUTHENTICATED, REFUSED);
            }
            case REVOKED -> {
                if (accounts.isBanned(family.userId())) {
                    throw AccountService.banned();
                }
                throw new ProblemException(ProblemCode.UNAUTHENTICATED, REFUSED);
            }
            case ROTATED -> {
                // below
            }
        }
        if (accounts.isBanned(family.userId())) {
            // banned while this refresh ran: the ban revoked the family before this rotation added to it
            refreshTokens.revokeFamily(family.familyId());
            throw AccountService.banned();
        }
        String username = accounts.usernameOf(family.userId())
                .orElseThrow(() -> new ProblemException(ProblemCode.UNAUTHENTICATED, "account no longer exists"));
        return Tokens.bearer(family.userId(), username, accessTokens.issue(family.userId(), username, family.familyId()),
                family.refreshToken(), accessTokens.ttlSeconds());
    }

    /**
     * Ends the login the refresh token belongs to: its refresh tokens, and its access tokens
     * everywhere (its live connections close). Always 204: whether the token was known is
     * nobody's business.
     */
    @POST
    @Path("/logout")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public void logout(RefreshRequest body) {
        refreshTokens.revoke(body == null ? null : body.refreshToken()).ifPresent(sessionEnds::endRevokedFamily);
    }

    /** Ends every login of the caller, this one included (204). */
    @POST
    @Path("/logout-all")
    @Authenticated
    public void logoutAll() {
        long userId;
        try {
            userId = Long.parseLong(caller.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ProblemException(ProblemCode.UNAUTHENTICATED, "access token has no user id");
        }
        sessionEnds.endAll(userId, false);
    }

    @GET
    @Path("/jwks")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public String jwks() {
        return keys.jwks();
    }
}

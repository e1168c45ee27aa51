package im.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.client.sdk.ImApiException;
import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.client.sdk.ImRestClient;
import im.client.sdk.Tokens;
import im.client.sdk.UserView;
import im.protocol.client.ErrorCode;
import im.protocol.client.HelloOk;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A logged-in profile: keeps the access token fresh (refreshing it, and saving the rotated refresh
 * token, shortly before it expires or when a server calls it expired) and opens push connections.
 */
final class Session {

    /** Refresh this long before expiry, so a token does not expire between check and use. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImCli cli;
    private final ImRestClient rest;
    private final String server;
    private final String push;
    private Profile profile;

    private Session(ImCli cli, Profile profile) {
        this.cli = cli;
        this.profile = profile;
        this.server = cli.serverFor(profile);
        this.push = cli.pushFor(profile);
        this.rest = cli.restFor(profile);
    }

    /** The logged-in session of the chosen profile, or the one-line advice to log in. */
    static Session require(ImCli cli) {
        Profile p = cli.profiles().load(cli.profile).orElse(null);
        if (p == null || !p.loggedIn()) {
            throw new CliException("not logged in: run " + cli.suggest("login <username>") + " first");
        }
        return new Session(cli, p);
    }

    Profile profile() {
        return profile;
    }

    ImRestClient rest() {
        return rest;
    }

    long userId() {
        return profile.userId();
    }

    String username() {
        return profile.username();
    }

    /** A valid access token, refreshed first when it is about to expire. */
    synchronized String accessToken() {
        Instant expiry = expiryOf(profile.accessToken());
        if (expiry != null && Instant.now().plus(EXPIRY_MARGIN).isBefore(expiry)) {
            return profile.accessToken();
        }
        return refresh();
    }

    /** Trades the refresh token for new tokens and saves them. */
    synchronized String refresh() {
        Tokens tokens;
        try {
            tokens = rest.refresh(profile.refreshToken());
        } catch (ImApiException e) {
            if (e.getStatus() == 401) {
                cli.profiles().save(cli.profile, profile.loggedOut());
                throw new CliException("session expired: run " + cli.suggest("login " + profile.username()) + " again");
            }
            throw e;
        }
        profile = profile.withTokens(tokens.accessToken(), tokens.refreshToken());
        cli.profiles().save(cli.profile, profile);
        return tokens.accessToken();
    }

    /** Calls a REST method with the access token; on 401 refreshes once and retries. */
    <T> T withToken(Function<String, T> call) {
        try {
            return call.apply(accessToken());
        } catch (ImApiException e) {
            if (e.getStatus() != 401) {
                throw e;
            }
            return call.apply(refresh());
        }
    }

    /** The user with this name, or a clear "no such user". */
    UserView user(String username) {
        try {
            return withToken(token -> rest.userByName(token, username));
        } catch (ImApiException e) {
            if (e.getStatus() == 404) {
                throw new CliException("no such user: " + username);
            }
            throw e;
        }
    }

    /** A connected push client (Hello done); an expired token is refreshed and Hello tried once more. */
    ImClient connect(ImClient.Listener listener) {
        try {
            return connectOnce(accessToken(), listener);
        } catch (ImErrorException e) {
            if (e.getCode() != ErrorCode.TOKEN_EXPIRED && e.getCode() != ErrorCode.UNAUTHENTICATED) {
                throw e;
            }
            return connectOnce(refresh(), listener);
        }
    }

    private ImClient connectOnce(String token, ImClient.Listener listener) {
        ImClient client = ImClient.builder()
                .endpoint(URI.create(push))
                .trust(cli.trustFor(profile))
                .accessToken(token)
                .deviceId(profile.deviceId())
                .listener(listener)
                // A reconnect whose token has expired meanwhile gets a fresh one (refresh token).
                .tokenSupplier(() -> java.util.concurrent.CompletableFuture.supplyAsync(this::refresh))
                .requestTimeout(PUSH_TIMEOUT)
                .connectTimeout(PUSH_TIMEOUT)
                .build();
        try {
            HelloOk ok = await(client.connect());
            if (ok.getUserId() != 0 && ok.getUserId() != profile.userId()) {
                throw new CliException("push server names user " + ok.getUserId() + ", profile is "
                        + profile.userId() + ": run `im login` again");
            }
            return client;
        } catch (RuntimeException e) {
            client.close();
            if (e instanceof ImErrorException || e instanceof CliException) {
                throw e;
            }
            throw new CliException("cannot connect to push server " + push + ": " + ImCli.describe(e), e);
        }
    }

    /** Waits for a future of the push client; failures come out as their cause. */
    static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(PUSH_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CompletionException(cause);
        } catch (TimeoutException e) {
            throw new CliException("no answer from the push server in time");
        }
    }

    /** The {@code exp} of a JWT, or null when it cannot be read (then the token is refreshed). */
    static Instant expiryOf(String jwt) {
        if (jwt == null) {
            return null;
        }
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode exp = payload.get("exp");
            return exp == null || !exp.canConvertToLong() ? null : Instant.ofEpochSecond(exp.asLong());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    String server() {
        return server;
    }

    String push() {
        return push;
    }
}

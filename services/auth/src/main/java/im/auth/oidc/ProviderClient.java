package im.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The server's side of the authorization code grant: trades the code for the provider's access
 * token and reads who the user is. Blocking ({@code java.net.http}), called on worker threads. The
 * provider's token stays inside this class: nothing it returns carries it.
 */
@ApplicationScoped
class ProviderClient {

    private static final Logger LOG = Logger.getLogger(ProviderClient.class);
    /** A token answer or a user profile is a few KiB; anything past this is not one. */
    private static final int MAX_ANSWER_BYTES = 256 * 1024;

    private final OidcConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    ProviderClient(OidcConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.providerTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Exchanges the code, then reads the user info (and, where the provider keeps them apart, the
     * email addresses). Throws {@link ProblemCode#OIDC_PROVIDER_ERROR} when the provider refuses or
     * fails, {@link ProblemCode#OIDC_EMAIL_UNVERIFIED} when a verified address is required and
     * missing.
     */
    ExternalIdentity identify(String providerName, OidcConfig.Provider provider, String code,
            String redirectUri, String codeVerifier) {
        String accessToken = exchange(providerName, provider, code, redirectUri, codeVerifier);
        JsonNode user = get(providerName, "user info", provider.userInfoUrl(), provider, accessToken);
        String subject = text(user, provider.subjectField());
        if (subject == null || subject.isEmpty() || subject.length() > 255) {
            LOG.warnf("provider %s: user info without a usable %s", providerName, provider.subjectField());
            throw failure("the provider's user info names no user");
        }
        if (provider.requireVerifiedEmail() && !hasVerifiedEmail(providerName, provider, user, accessToken)) {
            throw new ProblemException(ProblemCode.OIDC_EMAIL_UNVERIFIED,
                    "the provider account has no verified email address");
        }
        return new ExternalIdentity(subject, text(user, provider.loginField()), text(user, provider.nameField()));
    }

    private String exchange(String providerName, OidcConfig.Provider provider, String code, String redirectUri,
            String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("client_id", provider.clientId().orElse(""));
        provider.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        form.put("code_verifier", codeVerifier);
        HttpRequest request = HttpRequest.newBuilder(URI.create(provider.tokenUrl()))
                .timeout(config.providerTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
                .build();
        JsonNode answer = send(providerName, "token endpoint", request);
        String token = text(answer, "access_token");
        if (token == null || token.isEmpty()) {
            // An OAuth2 error answer may come with 200 from some providers; never log the body.
            LOG.warnf("provider %s: token endpoint answered no access token (error=%s)", providerName,
                    text(answer, "error"));
            throw failure("the provider refused the authorization code");
        }
        return token;
    }

    private boolean hasVerifiedEmail(String providerName, OidcConfig.Provider provider, JsonNode user,
            String accessToken) {
        if (provider.emailsUrl().isEmpty()) {
            String email = text(user, provider.emailField());
            JsonNode verified = user.get(provider.emailVerifiedField());
            return email != null && !email.isEmpty() && verified != null
                    && (verified.asBoolean(false) || "true".equals(verified.asText()));
        }
        JsonNode emails = get(providerName, "emails", provider.emailsUrl().get(), provider, accessToken);
        if (!emails.isArray()) {
            throw failure("the provider's email list is not a list");
        }
        for (JsonNode email : emails) {
            String address = text(email, "email");
            boolean confirmed = "confirmed".equals(text(email, "state")) || email.path("verified").asBoolean(false);
            if (address != null && !address.isEmpty() && confirmed) {
                return true;
            }
        }
        return false;
    }

    private JsonNode get(String providerName, String what, String url, OidcConfig.Provider provider,
            String accessToken) {
        HttpRequest.Builder request;
        if (provider.tokenInQuery()) {
            String separator = url.contains("?") ? "&" : "?";
            request = HttpRequest.newBuilder(URI.create(url + separator + "access_token="
                    + URLEncoder.encode(accessToken, StandardCharsets.UTF_8)));
        } else {
            request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + accessToken);
        }
        return send(providerName, what, request.timeout(config.providerTimeout())
                .header("Accept", "application/json").GET().build());
    }

    private JsonNode send(String providerName, String what, HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("provider %s: %s unreachable: %s", providerName, what, e.toString());
            throw failure("the login provider did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while calling the login provider");
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_ANSWER_BYTES + 1);
        } catch (IOException e) {
            LOG.warnf("provider %s: %s answer unreadable: %s", providerName, what, e.toString());
            throw failure("the login provider's answer could not be read");
        }
        if (response.statusCode() / 100 != 2) {
            LOG.warnf("provider %s: %s answered HTTP %d", providerName, what, response.statusCode());
            throw failure("the login provider answered HTTP " + response.statusCode() + " from its " + what);
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw failure("the login provider's " + what + " answer is too large");
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw failure("the login provider's " + what + " answer is not JSON");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static ProblemException failure(String detail) {
        return new ProblemException(ProblemCode.OIDC_PROVIDER_ERROR, detail);
    }
}

package im.router.offline;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** Where the hook posts and what it signs with, checked once at boot. */
public record WebhookTarget(URI url, WebhookSigner signer) {

    /**
     * The target the configuration names, or empty when the hook is off (no url).
     *
     * @throws IllegalStateException when a url is set without a usable secret, or is not an
     *         absolute http(s) URL: the router refuses to start, naming the setting to fix
     */
    public static Optional<WebhookTarget> of(OfflineWebhookConfig config) {
        Optional<String> url = config.url().map(String::strip).filter(value -> !value.isEmpty());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI uri = parse(url.get());
        String secret = config.secret().orElse("");
        if (secret.isBlank()) {
            throw new IllegalStateException("The offline webhook is set (IM_OFFLINE_WEBHOOK_URL) without a secret: set "
                    + "IM_OFFLINE_WEBHOOK_SECRET (im.router.offline-webhook.secret) to a secret shared with the "
                    + "receiver, at least " + WebhookSigner.MIN_SECRET_LENGTH + " characters (openssl rand -base64 48)");
        }
        if (secret.length() < WebhookSigner.MIN_SECRET_LENGTH) {
            throw new IllegalStateException("IM_OFFLINE_WEBHOOK_SECRET (im.router.offline-webhook.secret) is "
                    + secret.length() + " characters long; it must be at least " + WebhookSigner.MIN_SECRET_LENGTH
                    + " (openssl rand -base64 48)");
        }
        return Optional.of(new WebhookTarget(uri, new WebhookSigner(secret)));
    }

    private static URI parse(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // refused below, with the setting's name
        }
        throw new IllegalStateException("IM_OFFLINE_WEBHOOK_URL (im.router.offline-webhook.url) is not an absolute "
                + "http or https URL: " + url);
    }

    @Override
    public String toString() {
        return "WebhookTarget[" + url + "]";
    }
}

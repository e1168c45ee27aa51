package im.client.sdk;

import java.net.URI;
import java.util.Locale;

/** Where to connect and how, from the endpoint URI. */
record Endpoint(URI uri, String host, int port, boolean websocket, boolean secure) {

    static Endpoint of(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost();
        if (host == null) {
            throw new IllegalArgumentException("endpoint needs a host: " + endpoint);
        }
        return switch (scheme) {
            case "tcp" -> new Endpoint(endpoint, host, portOr(endpoint, 7000), false, false);
            case "tls" -> new Endpoint(endpoint, host, portOr(endpoint, 7000), false, true);
            case "ws" -> new Endpoint(endpoint, host, portOr(endpoint, 80), true, false);
            case "wss" -> new Endpoint(endpoint, host, portOr(endpoint, 443), true, true);
            default -> throw new IllegalArgumentException(
                    "endpoint scheme must be tcp, tls, ws or wss: " + endpoint);
        };
    }

    private static int portOr(URI uri, int fallback) {
        return uri.getPort() > 0 ? uri.getPort() : fallback;
    }

    boolean openOnActive() {
        return !websocket;
    }
}

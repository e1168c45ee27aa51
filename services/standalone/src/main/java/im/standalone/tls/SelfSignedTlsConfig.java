package im.standalone.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code im.standalone.tls.self-signed=true} ({@code IM_TLS=self-signed}, {@code ./im run --tls}):
 * makes (or finds) the development certificate in the data directory and configures everything
 * that listens to use it, before anything reads its configuration: HTTPS only on
 * {@code quarkus.http.ssl-port} (Quarkus' TLS registry, default configuration), TLS on both push
 * listeners, and the app's own JWKS fetch over HTTPS trusting that certificate.
 *
 * <p>A configuration source rather than a startup observer because the HTTP server and its TLS
 * registry read their settings while the app is built up, before any bean's startup event.
 * Its values sit above application.properties (250) and below the environment (300), so an
 * operator can still override any of them.
 */
public class SelfSignedTlsConfig implements ConfigSourceFactory {

    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isOn(context.getValue("im.standalone.tls"))) {
            return List.of();
        }
        ConfigValue dataDir = context.getValue("im.standalone.data-dir");
        Path dir = Path.of(dataDir == null || dataDir.getValue() == null ? "./data" : dataDir.getValue())
                .resolve("tls");
        DevelopmentCertificate.CertificateFiles files = DevelopmentCertificate.ensure(dir);
        String cert = files.certificate().toAbsolutePath().toString();
        String key = files.key().toAbsolutePath().toString();
        Map<String, String> settings = Map.of(
                "quarkus.tls.key-store.pem.standalone.cert", cert,
                "quarkus.tls.key-store.pem.standalone.key", key,
                "quarkus.http.insecure-requests", "disabled",
                "im.push.tls.enabled", "true",
                "im.push.tls.certificate", cert,
                "im.push.tls.key", key,
                // The services in this JVM read auth's keys over loopback, now over HTTPS.
                "mp.jwt.verify.publickey.location", "https://127.0.0.1:${quarkus.http.ssl-port}/auth/jwks",
                "smallrye.jwt.client.tls.certificate.path", cert);
        return List.of(new PropertiesConfigSource(settings, "im-standalone-self-signed-tls", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean isOn(ConfigValue value) {
        return value != null && value.getValue() != null && "self-signed".equalsIgnoreCase(value.getValue().trim());
    }
}

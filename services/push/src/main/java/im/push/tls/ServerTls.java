package im.push.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * The listeners' TLS, built once from {@link TlsConfig}: a bad certificate or key fails the
 * start, not the first client. Each connection gets its own {@link SslHandler} from it.
 */
@Singleton
public class ServerTls {

    private static final Logger LOG = Logger.getLogger(ServerTls.class);

    private final SslContext context;
    private final long handshakeTimeoutMillis;

    @Inject
    public ServerTls(TlsConfig config) {
        this(config.enabled() ? build(config) : null, config.handshakeTimeout());
        if (context != null) {
            LOG.infof("client listeners serve TLS (%s)", String.join(", ", config.protocols()));
        }
    }

    /** No TLS: listeners built without settings (unit tests of the pipelines). */
    public static ServerTls plain() {
        return new ServerTls(null, Duration.ZERO);
    }

    private ServerTls(SslContext context, Duration handshakeTimeout) {
        this.context = context;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
    }

    public boolean enabled() {
        return context != null;
    }

    /** A new handler for one server connection; only when {@link #enabled()}. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = context.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    private static SslContext build(TlsConfig config) {
        try {
            SslContextBuilder builder;
            if (config.keyStore().isPresent()) {
                builder = SslContextBuilder.forServer(keyManagers(config.keyStore().get(),
                        config.keyStorePassword().orElse("").toCharArray()));
            } else if (config.certificate().isPresent() && config.key().isPresent()) {
                builder = SslContextBuilder.forServer(config.certificate().get().toFile(), config.key().get().toFile());
            } else {
                throw new IllegalStateException("im.push.tls.enabled needs im.push.tls.certificate and "
                        + "im.push.tls.key (PEM), or im.push.tls.key-store (PKCS#12)");
            }
            return builder.sslProvider(SslProvider.JDK)
                    .protocols(config.protocols())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("push TLS: cannot load the certificate or key: " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(Path keyStore, char[] password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("push TLS: cannot read the key store " + keyStore + ": " + e.getMessage(), e);
        }
    }
}

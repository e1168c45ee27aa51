package im.push.tls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * TLS on both client listeners (TCP and WebSocket share one certificate). Off by default: in a
 * cluster TLS usually ends at the load balancer or ingress; a node that faces clients directly,
 * or the standalone app, turns it on. The key is either a PEM pair or a PKCS#12 key store.
 */
@ConfigMapping(prefix = "im.push.tls")
public interface TlsConfig {

    /** When true both listeners speak only TLS: a plain client is closed at its first bytes. */
    @WithDefault("false")
    boolean enabled();

    /** PEM file with the server certificate first, then any intermediates. */
    Optional<Path> certificate();

    /** PEM file with the certificate's private key (PKCS#8, unencrypted). */
    Optional<Path> key();

    /** A PKCS#12 key store instead of the PEM pair: its first key entry is used. */
    Optional<Path> keyStore();

    Optional<String> keyStorePassword();

    /**
     * TLS 1.3 only: every client of this system is ours (the SDK, browsers of the last years),
     * and 1.3 has no weak suites to configure away. An operator with older clients adds TLSv1.2.
     */
    @WithDefault("TLSv1.3")
    List<String> protocols();

    /** A client that connects but does not finish the handshake by then is closed. */
    @WithDefault("10s")
    Duration handshakeTimeout();
}

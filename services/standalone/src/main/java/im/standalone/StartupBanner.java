package im.standalone;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Tells the person who just started the system where to point clients, and which certificate to trust. */
@ApplicationScoped
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            @ConfigProperty(name = "quarkus.http.ssl-port") int httpsPort,
            @ConfigProperty(name = "quarkus.http.insecure-requests") Optional<String> insecureRequests,
            @ConfigProperty(name = "im.push.tcp.port") int tcpPort,
            @ConfigProperty(name = "im.push.websocket.port") int webSocketPort,
            @ConfigProperty(name = "im.push.tls.enabled") boolean pushTls,
            @ConfigProperty(name = "im.push.tls.certificate") Optional<Path> certificate,
            @ConfigProperty(name = "im.standalone.data-dir") String dataDir) {
        boolean https = insecureRequests.map("disabled"::equalsIgnoreCase).orElse(false);
        String rest = https ? "https://localhost:" + httpsPort : "http://localhost:" + httpPort;
        String fingerprint = pushTls ? certificate.map(StartupBanner::sha256).orElse(null) : null;
        LOG.infof("""
                IM standalone is up.
                  REST (auth, users, friends)  %s
                  chat over TCP                %s://localhost:%d
                  chat over WebSocket          %s://localhost:%d/ws
                %s  data                         %s
                Chat from two other terminals: ./im %sregister alice, ./im login alice, ./im chat bob (see README).""",
                rest, pushTls ? "tls" : "tcp", tcpPort, pushTls ? "wss" : "ws", webSocketPort,
                fingerprint == null ? "" : "  certificate SHA-256          " + fingerprint + "\n",
                Path.of(dataDir).toAbsolutePath().normalize(),
                fingerprint == null ? "" : "--tls --pin " + fingerprint + " ");
    }

    /** The SHA-256 of the certificate's DER encoding, as clients pin it (AB:CD:...). */
    static String sha256(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (IOException | GeneralSecurityException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}

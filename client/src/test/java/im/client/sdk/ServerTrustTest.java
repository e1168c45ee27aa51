package im.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pinning against a real TLS 1.3 server socket on loopback. */
class ServerTrustTest {

    private static SelfSignedCertificate certificate;
    private static SSLServerSocket server;

    @BeforeAll
    static void startServer() throws Exception {
        certificate = new SelfSignedCertificate("localhost");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", certificate.key(), new char[0], new Certificate[] {certificate.cert()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 8,
                InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                } catch (IOException handshakeRefusedOrClosed) {
                    // the client's verdict is what the tests look at
                }
            }
        }, "tls-test-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
        certificate.delete();
    }

    @Test
    void pinOfTheServersCertificate_handshakes_whateverTheHostName() throws Exception {
        String pin = ServerTrust.sha256Fingerprint(certificate.cert());

        // 127.0.0.1 is not a name in the certificate: a pin does not check names.
        assertEquals("TLSv1.3", handshake(ServerTrust.pinnedSha256(pin)));
        assertEquals("TLSv1.3", handshake(ServerTrust.pinnedSha256(pin.replace(":", "").toLowerCase(Locale.ROOT))));
    }

    @Test
    void pinOfAnotherCertificate_failsTheHandshake_namingBothFingerprints() {
        String actual = ServerTrust.sha256Fingerprint(certificate.cert());
        String other = "AB:".repeat(31) + "AB";

        SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
                () -> handshake(ServerTrust.pinnedSha256(other)));
        assertTrue(refused.getMessage().contains(actual) && refused.getMessage().contains(other), refused::getMessage);
    }

    @Test
    void aFingerprintThatIsNot64HexDigits_isRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> ServerTrust.pinnedSha256("AB:CD"));
        assertThrows(IllegalArgumentException.class, () -> ServerTrust.pinnedSha256("zz".repeat(32)));
    }

    @Test
    void theJdkRoots_doNotTrustASelfSignedServer() {
        assertThrows(SSLHandshakeException.class, () -> handshake(ServerTrust.systemDefault()));
    }

    private static String handshake(ServerTrust trust) throws IOException {
        try (SSLSocket socket = (SSLSocket) trust.sslContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }
}

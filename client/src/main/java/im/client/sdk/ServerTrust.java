package im.client.sdk;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Which TLS servers a client believes, for push ({@code tls://}, {@code wss://}) and REST
 * ({@code https://}) alike:
 * <ul>
 * <li>{@link #systemDefault()}: the JDK's trusted roots, host name checked (a server with a
 * public certificate);</li>
 * <li>{@link #caCertificates(Path)} / {@link #trustStore(Path, char[])}: the certificates of a CA
 * of your own (or a self-signed server certificate itself), host name checked;</li>
 * <li>{@link #pinnedSha256(String)}: exactly one server certificate, named by the SHA-256 of its
 * DER encoding (what the standalone app prints at start). The host name and the validity dates
 * are <b>not</b> checked: the pin names the one certificate, wherever it answers, and a
 * development certificate is reached as localhost, by IP or through a tunnel alike. A
 * different certificate fails the handshake with an {@link SSLException} that names both
 * fingerprints.</li>
 * </ul>
 * TLS 1.3 and 1.2 are offered; the server picks (push and the standalone serve 1.3 only).
 */
public final class ServerTrust {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    // null: the JDK's default trust managers
    private final X509TrustManager trustManager;
    private final boolean checkHostName;

    private ServerTrust(X509TrustManager trustManager, boolean checkHostName) {
        this.trustManager = trustManager;
        this.checkHostName = checkHostName;
    }

    /** The JDK's trusted roots (cacerts), host name checked. */
    public static ServerTrust systemDefault() {
        return new ServerTrust(null, true);
    }

    /** Certificates in a PEM file (one or more): a CA of your own, or the server's certificate. */
    public static ServerTrust caCertificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            return new ServerTrust(trustManagerOf(store), true);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    /** A trust store file (PKCS#12 or JKS) whose certificate entries are trusted. */
    public static ServerTrust trustStore(Path store, char[] password) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance(store.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            keyStore.load(in, password);
            return new ServerTrust(trustManagerOf(keyStore), true);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the trust store " + store + ": " + e.getMessage(), e);
        }
    }

    /**
     * Exactly the server certificate whose SHA-256 fingerprint this is: 64 hex digits, in either
     * case, with or without colons ({@code AB:CD:...}).
     */
    public static ServerTrust pinnedSha256(String fingerprint) {
        return new ServerTrust(new PinnedCertificate(normalize(fingerprint)), false);
    }

    /** The SHA-256 fingerprint of a certificate as the standalone prints it: {@code AB:CD:...}. */
    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** For Netty: {@link ImClient.Builder#trust(ServerTrust)} uses it. */
    public SslContext nettyContext() {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
            if (trustManager != null) {
                builder.trustManager(trustManager);
            }
            // Netty 4.1 checks no host name unless asked; a pin has nothing to check it against.
            builder.endpointIdentificationAlgorithm(checkHostName ? "HTTPS" : null);
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }

    /** For the JDK's HTTP client: {@link ImRestClient} uses it. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManager == null ? null : new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }

    private static X509TrustManager trustManagerOf(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    private static String normalize(String fingerprint) {
        String hex = Objects.requireNonNull(fingerprint, "fingerprint").replace(":", "").trim()
                .toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException(
                    "a SHA-256 fingerprint is 64 hex digits (colons allowed): " + fingerprint);
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    /**
     * Accepts the one certificate, as the leaf of whatever chain the server sends. An extended
     * trust manager, so that the JDK leaves the host name to it (and it ignores it, see above).
     */
    private static final class PinnedCertificate extends X509ExtendedTrustManager {

        private final String pinned;

        PinnedCertificate(String pinned) {
            this.pinned = pinned;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            String actual = sha256Fingerprint(chain[0]);
            if (!actual.equals(pinned)) {
                throw new CertificateException("the server's certificate SHA-256 " + actual
                        + " is not the pinned " + pinned);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client trust manager trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

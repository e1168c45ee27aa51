package im.standalone.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A self-signed certificate for running the standalone app with TLS on a laptop or a test box:
 * made once in the data directory ({@code tls/cert.pem}, {@code tls/key.pem}) and kept, so that
 * clients that pinned its fingerprint keep trusting it across restarts; made again only when it
 * expires. An ECDSA P-256 key (the JDK makes it), the certificate built and signed by
 * BouncyCastle; valid for localhost, 127.0.0.1, ::1 and this machine's host name.
 */
public final class DevelopmentCertificate {

    // Long enough not to expire under a developer; it is trusted by pin, not by a CA's rules.
    private static final Duration VALIDITY = Duration.ofDays(825);

    private DevelopmentCertificate() {
    }

    /** The certificate and key files in {@code dir}, made now if missing or expired. */
    public static CertificateFiles ensure(Path dir) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        try {
            if (Files.exists(cert) && Files.exists(key) && stillValid(cert)) {
                return new CertificateFiles(cert, key);
            }
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(pair);
            // Key first, then certificate, each by rename: a crash between the two leaves an
            // expired-looking pair that is made again, never a certificate without its key.
            writeAtomically(key, pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded())), true);
            writeAtomically(cert, pem(certificate), false);
            return new CertificateFiles(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development certificate to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a development certificate", e);
        }
    }

    /** The two files: a PEM certificate and its PKCS#8 PEM key. */
    public record CertificateFiles(Path certificate, Path key) {
    }

    private static boolean stillValid(Path cert) throws IOException {
        try (InputStream in = Files.newInputStream(cert)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            certificate.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(1))));
            return true;
        } catch (GeneralSecurityException expiredOrUnreadable) {
            return false;
        }
    }

    private static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=IM standalone development certificate");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names()));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static GeneralName[] names() {
        List<GeneralName> names = new ArrayList<>(List.of(
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.isBlank() && !host.equals("localhost") && host.matches("[A-Za-z0-9.-]+")) {
                names.add(new GeneralName(GeneralName.dNSName, host));
            }
        } catch (UnknownHostException noName) {
            // localhost and the loopback addresses are enough
        }
        return names.toArray(GeneralName[]::new);
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PemObject pemObject) {
                writer.writeObject(pemObject);
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    private static void writeAtomically(Path file, String content, boolean secret) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        if (secret) {
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data directory's own permissions protect it
            }
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

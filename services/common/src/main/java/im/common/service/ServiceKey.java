package im.common.service;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The HMAC key service tokens are signed and verified with. A singleton without a proxy, created
 * at boot ({@link ServiceIdentityStartup}): a cluster service without a secret stops there with a
 * message naming the setting, not at its first call to another service.
 */
@Singleton
public class ServiceKey {

    private static final Logger LOG = Logger.getLogger(ServiceKey.class);
    static final int MIN_SECRET_LENGTH = 32;
    private static final String PLACEHOLDER = "PLACEHOLDER";

    private final SecretKey key;

    @Inject
    public ServiceKey(ServiceIdentityConfig config) {
        this(keyBytes(config));
    }

    ServiceKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** A key from a secret as the configuration holds it (tests mint with the same). */
    public static ServiceKey of(String secret) {
        return new ServiceKey(checked(secret));
    }

    SecretKey secretKey() {
        return key;
    }

    private static byte[] keyBytes(ServiceIdentityConfig config) {
        if (config.secret().isPresent()) {
            String secret = config.secret().get();
            if (secret.startsWith(PLACEHOLDER)) {
                LOG.warn("im.service-identity.secret is the template's placeholder: anyone who read the template "
                        + "can call this deployment's services as one of them; set IM_SERVICE_SECRET to a secret of "
                        + "your own (openssl rand -base64 48)");
            }
            return checked(secret);
        }
        if (config.generate()) {
            byte[] random = new byte[MIN_SECRET_LENGTH];
            new SecureRandom().nextBytes(random);
            return random;
        }
        throw new IllegalStateException("No service identity secret: set IM_SERVICE_SECRET "
                + "(im.service-identity.secret) to the secret every service of this deployment shares, at least "
                + MIN_SECRET_LENGTH + " characters (openssl rand -base64 48). The services sign the calls they "
                + "make to each other with it.");
    }

    private static byte[] checked(String secret) {
        byte[] bytes = secret.strip().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_LENGTH) {
            throw new IllegalStateException("im.service-identity.secret (IM_SERVICE_SECRET) is " + bytes.length
                    + " bytes long; it must be at least " + MIN_SECRET_LENGTH + " (openssl rand -base64 48)");
        }
        return bytes;
    }
}

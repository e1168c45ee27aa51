package im.auth.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Argon2id cost. The defaults are OWASP's Password Storage Cheat Sheet minimum for Argon2id
 * (19 MiB memory, 2 iterations, 1 lane): tens of milliseconds per hash on a server core, which
 * makes offline guessing expensive while keeping login cheap. Stored hashes carry their own
 * parameters, so raising these later only affects new hashes.
 */
@ConfigMapping(prefix = "im.auth.password")
public interface PasswordConfig {

    @WithDefault("19456")
    int memoryKib();

    @WithDefault("2")
    int iterations();

    @WithDefault("1")
    int parallelism();
}

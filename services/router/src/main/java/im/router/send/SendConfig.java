package im.router.send;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits and timings of the send path. */
@ConfigMapping(prefix = "im.router.send")
public interface SendConfig {

    /**
     * Largest message body in bytes. 16 KiB holds any chat text (and its ciphertext) many times
     * over; files go elsewhere. The column is a BLOB, so it may not exceed 65535.
     */
    @WithDefault("16384")
    int maxBodyBytes();

    /** Longest wait for the user service's CheckSend; the client retries a send that fails UNAVAILABLE. */
    @WithDefault("3s")
    Duration checkTimeout();

    /**
     * Attempts of the store transaction when the database reports a deadlock (two first sends
     * creating the same conversation). 3 resolves every case seen; more would only hide a bug.
     */
    @WithDefault("3")
    int storeAttempts();
}

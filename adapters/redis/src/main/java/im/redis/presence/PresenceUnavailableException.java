package im.redis.presence;

/** Redis did not answer a presence call in time, or answered with an error. */
public class PresenceUnavailableException extends RuntimeException {

    public PresenceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

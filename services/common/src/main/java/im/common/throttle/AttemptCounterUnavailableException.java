package im.common.throttle;

/**
 * The counter's store did not answer in time, or answered with an error. The attempt may or may
 * not have been counted; the caller knows nothing of the key's count.
 */
public class AttemptCounterUnavailableException extends RuntimeException {

    public AttemptCounterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

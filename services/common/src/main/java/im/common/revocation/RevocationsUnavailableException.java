package im.common.revocation;

/** The revocation list could not be written (its store did not answer in time). */
public class RevocationsUnavailableException extends RuntimeException {

    public RevocationsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

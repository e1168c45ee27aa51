package im.client.sdk;

import im.protocol.client.ErrorCode;

/**
 * The server answered a request (or the whole connection) with an {@code Error}. Switch on
 * {@link #getCode()}; the message is for people.
 */
public final class ImErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public ImErrorException(ErrorCode code, String message) {
        super(message == null || message.isEmpty() ? String.valueOf(code) : message);
        this.code = code;
    }

    public ErrorCode getCode() {
        return code;
    }

    @Override
    public String toString() {
        return "ImErrorException{" + code + ": " + getMessage() + "}";
    }
}

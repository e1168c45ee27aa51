package im.common.token;

import im.protocol.client.ErrorCode;

/** An access token that does not authenticate anybody; {@link #code()} says why in protocol terms. */
public class TokenRejectedException extends Exception {

    private final ErrorCode code;

    public TokenRejectedException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}

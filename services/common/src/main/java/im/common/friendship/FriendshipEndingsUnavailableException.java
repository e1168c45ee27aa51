package im.common.friendship;

/** A friendship-ending notice could not be sent to the other nodes (its channel did not answer in time). */
public class FriendshipEndingsUnavailableException extends RuntimeException {

    public FriendshipEndingsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

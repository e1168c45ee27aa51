package im.bench.load;

/** Who one load connection logs in as: the token it presents in Hello and its device id. */
public record Identity(long userId, String username, String accessToken, String deviceId) {

    @Override
    public String toString() {
        // Tokens are secrets even in a benchmark: never printed whole by accident.
        return "Identity[userId=" + userId + ", deviceId=" + deviceId + "]";
    }
}

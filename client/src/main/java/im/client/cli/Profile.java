package im.client.cli;

/**
 * One login of the command line, stored as {@code <home>/<name>.json}: where the servers are (the users server only when it is not the same as the auth server), who
 * is logged in, this profile's device id (made once, kept across logins so the server sees one
 * device), the tokens, and which TLS servers to believe (a CA file, or a pinned certificate
 * fingerprint; neither: the JDK's roots). Null fields are absent: never logged in, or logged out.
 */
public record Profile(String server, String usersServer, String push, Long userId, String username,
        String deviceId, String accessToken, String refreshToken, String caCert, String pin) {

    /** A profile that trusts the JDK's roots (no CA file, no pin). */
    public Profile(String server, String usersServer, String push, Long userId, String username, String deviceId,
            String accessToken, String refreshToken) {
        this(server, usersServer, push, userId, username, deviceId, accessToken, refreshToken, null, null);
    }

    public boolean loggedIn() {
        return userId != null && accessToken != null && refreshToken != null;
    }

    public Profile withServers(String newServer, String newUsersServer, String newPush) {
        return new Profile(newServer, newUsersServer, newPush, userId, username, deviceId, accessToken, refreshToken,
                caCert, pin);
    }

    public Profile withTrust(String newCaCert, String newPin) {
        return new Profile(server, usersServer, push, userId, username, deviceId, accessToken, refreshToken, newCaCert,
                newPin);
    }

    public Profile withLogin(long newUserId, String newUsername, String newAccess, String newRefresh) {
        return new Profile(server, usersServer, push, newUserId, newUsername, deviceId, newAccess, newRefresh, caCert,
                pin);
    }

    public Profile withTokens(String newAccess, String newRefresh) {
        return new Profile(server, usersServer, push, userId, username, deviceId, newAccess, newRefresh, caCert, pin);
    }

    public Profile loggedOut() {
        return new Profile(server, usersServer, push, null, null, deviceId, null, null, caCert, pin);
    }

    @Override
    public String toString() {
        return "Profile[server=" + server + ", usersServer=" + usersServer + ", push=" + push + ", userId=" + userId + ", username="
                + username + ", deviceId=" + deviceId + ", caCert=" + caCert + ", pin=" + pin + ", loggedIn=" + loggedIn()
                + "]";
    }
}

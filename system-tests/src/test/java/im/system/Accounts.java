package im.system;

import im.client.sdk.FriendRequest;
import im.client.sdk.ImRestClient;
import im.client.sdk.Tokens;
import java.util.concurrent.atomic.AtomicInteger;

/** People who use the system in a test: registered and logged in over the real REST API. */
final class Accounts {

    static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Accounts() {
    }

    record Account(String username, Tokens tokens) {
        long userId() {
            return tokens.userId();
        }

        String accessToken() {
            return tokens.accessToken();
        }
    }

    /** A new user with a unique name starting with {@code name}, logged in. */
    static Account signUp(ImRestClient rest, String name) {
        String username = name + "-" + NEXT.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
        rest.register(username, PASSWORD, name);
        return new Account(username, rest.login(username, PASSWORD));
    }

    static Account logIn(ImRestClient rest, String username) {
        return new Account(username, rest.login(username, PASSWORD));
    }

    /** a asks, b accepts. */
    static void befriend(ImRestClient rest, Account a, Account b) {
        FriendRequest request = rest.requestFriend(a.accessToken(), b.username());
        if (!"ACCEPTED".equals(request.status())) {
            rest.acceptFriendRequest(b.accessToken(), request.requestId());
        }
    }
}

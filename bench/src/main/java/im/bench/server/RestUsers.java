package im.bench.server;

import im.bench.load.Identity;
import im.client.sdk.FriendRequest;
import im.client.sdk.ImRestClient;
import im.client.sdk.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bench's users on a server that has real accounts (the standalone, the cluster): registered,
 * logged in and befriended over REST, the setup no scenario measures.
 */
final class RestUsers {

    private static final String PASSWORD = "bench-password-1";
    /** REST setup calls in parallel: enough to keep the server's workers busy, few enough not to time out. */
    private static final int SETUP_THREADS = 8;

    private final ImRestClient rest;
    private int batches;

    RestUsers(ImRestClient rest) {
        this.rest = rest;
    }

    /** As {@link Target#identities}: fresh names on every call, since usernames are unique. */
    List<Identity> identities(int users, int devicesPerUser, boolean pairFriends) throws Exception {
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36) + (batches++);
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<Tokens>> logins = new ArrayList<>(users);
            for (int u = 0; u < users; u++) {
                String username = "b" + tag + "u" + u;
                logins.add(pool.submit(() -> {
                    rest.register(username, PASSWORD, username);
                    return rest.login(username, PASSWORD);
                }));
            }
            List<Tokens> tokens = new ArrayList<>(users);
            for (Future<Tokens> login : logins) {
                tokens.add(login.get());
            }
            if (pairFriends) {
                List<Future<?>> friendships = new ArrayList<>();
                for (int u = 0; u + 1 < users; u += 2) {
                    Tokens a = tokens.get(u);
                    Tokens b = tokens.get(u + 1);
                    friendships.add(pool.submit(() -> {
                        FriendRequest request = rest.requestFriend(a.accessToken(), b.username());
                        if (!request.accepted()) {
                            rest.acceptFriendRequest(b.accessToken(), request.requestId());
                        }
                        return null;
                    }));
                }
                for (Future<?> friendship : friendships) {
                    friendship.get();
                }
            }
            List<Identity> identities = new ArrayList<>(users * devicesPerUser);
            for (int u = 0; u < users; u++) {
                Tokens t = tokens.get(u);
                for (int d = 0; d < devicesPerUser; d++) {
                    identities.add(new Identity(t.userId(), t.username(), t.accessToken(), "d" + u + "-" + d));
                }
            }
            return identities;
        } finally {
            pool.shutdownNow();
        }
    }
}

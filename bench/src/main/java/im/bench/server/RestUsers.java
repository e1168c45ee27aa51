package im.bench.server;

import im.bench.load.Identity;
import im.client.sdk.FriendRequest;
import im.client.sdk.GroupView;
import im.client.sdk.ImRestClient;
import im.client.sdk.RegisteredUser;
import im.client.sdk.Tokens;
import im.protocol.client.JoinPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The bench's users on a server that has real accounts (the standalone, the cluster): registered,
 * logged in and befriended over REST, the setup no scenario measures.
 */
final class RestUsers {

    private static final String PASSWORD = "bench-password-1";
    /** REST setup calls in parallel: enough to keep the server's workers busy, few enough not to time out. */
    private static final int SETUP_THREADS = 8;
    /** User ids per call that adds group members: the user service's {@code im.user.groups.max-users-per-call}. */
    private static final int MEMBERS_PER_CALL = 500;
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ImRestClient rest;
    private int batches;

    RestUsers(ImRestClient rest) {
        this.rest = rest;
    }

    /**
     * As {@link Target#group}. Only the online members log in: the others never connect, and a
     * login costs a second password hash. Registrations run {@value #SETUP_THREADS} at a time; the
     * members join 500 per call (the user service's limit per call), each call one system message
     * in the group's timeline, all before any member connects.
     */
    BenchGroup group(int members, int online, Consumer<String> progress) throws Exception {
        if (online < 1 || online > members) {
            throw new IllegalArgumentException("online must be 1.." + members + ", got " + online);
        }
        String tag = nextTag();
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            long start = System.nanoTime();
            List<Future<RegisteredUser>> registering = new ArrayList<>(members);
            for (int u = 0; u < members; u++) {
                String username = "b" + tag + "g" + u;
                registering.add(pool.submit(() -> rest.register(username, PASSWORD, username)));
            }
            long[] userIds = new long[members];
            long lastPrint = start;
            for (int u = 0; u < members; u++) {
                userIds[u] = registering.get(u).get().userId();
                long now = System.nanoTime();
                if (now - lastPrint > PROGRESS_INTERVAL_NANOS) {
                    lastPrint = now;
                    progress.accept(String.format("registered %,d/%,d members (%,.0f/s)", u + 1, members,
                            (u + 1) / ((now - start) / 1e9)));
                }
            }
            long registered = System.nanoTime();
            List<Future<Tokens>> logins = new ArrayList<>(online);
            for (int u = 0; u < online; u++) {
                String username = "b" + tag + "g" + u;
                logins.add(pool.submit(() -> rest.login(username, PASSWORD)));
            }
            List<Tokens> tokens = new ArrayList<>(online);
            for (Future<Tokens> login : logins) {
                tokens.add(login.get());
            }
            long loggedIn = System.nanoTime();
            progress.accept(String.format("registered %,d members in %.1f s, logged in %,d in %.1f s; making the group",
                    members, (registered - start) / 1e9, online, (loggedIn - registered) / 1e9));
            String owner = tokens.get(0).accessToken();
            int first = Math.min(members, 1 + MEMBERS_PER_CALL);
            GroupView group = rest.createGroup(owner, "bench " + tag, ids(userIds, 1, first), JoinPolicy.ADMINS_INVITE);
            for (int from = first; from < members; from += MEMBERS_PER_CALL) {
                int to = Math.min(members, from + MEMBERS_PER_CALL);
                rest.addGroupMembers(owner, group.groupId(), ids(userIds, from, to));
            }
            long grouped = System.nanoTime();
            List<Identity> identities = new ArrayList<>(online);
            for (int u = 0; u < online; u++) {
                Tokens t = tokens.get(u);
                identities.add(new Identity(t.userId(), t.username(), t.accessToken(), "d" + u));
            }
            return new BenchGroup(group.groupId(), group.conversationId(), members, identities,
                    Duration.ofNanos(registered - start), Duration.ofNanos(loggedIn - registered),
                    Duration.ofNanos(grouped - loggedIn));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Long> ids(long[] userIds, int from, int to) {
        List<Long> ids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ids.add(userIds[i]);
        }
        return ids;
    }

    private String nextTag() {
        return Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36) + (batches++);
    }

    /** As {@link Target#identities}: fresh names on every call, since usernames are unique. */
    List<Identity> identities(int users, int devicesPerUser, boolean pairFriends) throws Exception {
        String tag = nextTag();
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

package im.user;

import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokens;
import im.protocol.user.CreateProfileRequest;
import im.protocol.user.UserDirectoryGrpc;
import java.util.concurrent.atomic.AtomicLong;

/** Fresh users for tests sharing one database: each gets a new id, a profile and a token. */
public final class TestUsers {

    private static final AtomicLong NEXT_ID = new AtomicLong(1000);

    private TestUsers() {
    }

    public record TestUser(long id, String username, String token) {
    }

    public static TestUser create(UserDirectoryGrpc.UserDirectoryBlockingStub directory) {
        long id = NEXT_ID.incrementAndGet();
        String username = "user-" + id;
        directory.withCallCredentials(TestServiceTokens.as(ServiceName.AUTH, ServiceName.USER))
                .createProfile(CreateProfileRequest.newBuilder()
                .setUserId(id).setUsername(username).setDisplayName("User " + id).build());
        return new TestUser(id, username, TestTokens.issue(id, username));
    }

    /** A fresh user with this username (for tests about names); the caller keeps names unique. */
    public static TestUser named(UserDirectoryGrpc.UserDirectoryBlockingStub directory, String username) {
        long id = NEXT_ID.incrementAndGet();
        directory.withCallCredentials(TestServiceTokens.as(ServiceName.AUTH, ServiceName.USER))
                .createProfile(CreateProfileRequest.newBuilder()
                .setUserId(id).setUsername(username).setDisplayName("User " + id).build());
        return new TestUser(id, username, TestTokens.issue(id, username));
    }

    /** An id no profile has. */
    public static long unusedId() {
        return NEXT_ID.incrementAndGet() + 1_000_000;
    }
}

package im.auth.account;

import im.protocol.user.CreateProfileRequest;
import im.protocol.user.UserDirectoryGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** The profile side of an account, in the user service. Blocking: call from a worker thread. */
@ApplicationScoped
public class UserProfiles {

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;

    private final BackendConfig config;

    public UserProfiles(BackendConfig config) {
        this.config = config;
    }

    /**
     * Creates the account's profile; idempotent on the user side, so it is safe to repeat after
     * a failure (login does, to repair an account whose registration could not reach user).
     *
     * @throws io.grpc.StatusRuntimeException when the directory fails or does not answer in time
     */
    public void ensure(long userId, String username, String displayName) {
        directory.withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .createProfile(CreateProfileRequest.newBuilder()
                        .setUserId(userId).setUsername(username).setDisplayName(displayName).build());
    }
}

package im.auth.account;

import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.protocol.user.CreateProfileRequest;
import im.protocol.user.UserDirectoryGrpc;
import io.grpc.CallCredentials;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** The profile side of an account, in the user service. Blocking: call from a worker thread. */
@ApplicationScoped
public class UserProfiles {

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;

    private final BackendConfig config;
    private final CallCredentials asAuth;

    public UserProfiles(BackendConfig config, ServiceTokens tokens) {
        this.config = config;
        this.asAuth = tokens.credentials(ServiceName.AUTH, ServiceName.USER);
    }

    /**
     * Creates the account's profile; idempotent on the user side, so it is safe to repeat after
     * a failure (login does, to repair an account whose registration could not reach user).
     *
     * @throws io.grpc.StatusRuntimeException when the directory fails or does not answer in time
     */
    public void ensure(long userId, String username, String displayName) {
        directory.withCallCredentials(asAuth).withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .createProfile(CreateProfileRequest.newBuilder()
                        .setUserId(userId).setUsername(username).setDisplayName(displayName).build());
    }
}

package im.auth.account;

import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.protocol.leaf.LeafGrpc;
import im.protocol.leaf.NextIdsRequest;
import im.protocol.leaf.NextIdsResponse;
import io.grpc.CallCredentials;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** New user ids, drawn from leaf's "user" counter. Blocking: call from a worker thread. */
@ApplicationScoped
public class UserIds {

    private static final String BIZ_TAG = "user";

    @GrpcClient("leaf")
    LeafGrpc.LeafBlockingStub leaf;

    private final BackendConfig config;
    private final CallCredentials asAuth;

    public UserIds(BackendConfig config, ServiceTokens tokens) {
        this.config = config;
        this.asAuth = tokens.credentials(ServiceName.AUTH, ServiceName.LEAF);
    }

    /** @throws io.grpc.StatusRuntimeException when leaf does not answer in time */
    public long next() {
        NextIdsResponse response = leaf.withCallCredentials(asAuth)
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .nextIds(NextIdsRequest.newBuilder().setBizTag(BIZ_TAG).setCount(1).build());
        if (response.getRangesCount() == 0 || response.getRanges(0).getCount() < 1) {
            throw new IllegalStateException("leaf answered no id");
        }
        return response.getRanges(0).getStart();
    }
}

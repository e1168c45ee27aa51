package im.router.ids;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.protocol.leaf.IdRange;
import im.protocol.leaf.LeafGrpc;
import im.protocol.leaf.NextIdsRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.CallCredentials;
import io.quarkus.grpc.GrpcClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Message ids from leaf, drawn in batches ahead of need. */
@ApplicationScoped
public class MessageIds {

    @GrpcClient("leaf")
    LeafGrpc.LeafBlockingStub leaf;

    private final IdsConfig config;
    private final ExecutorService refiller;
    private final IdBuffer buffer;
    private final CallCredentials asRouter;

    public MessageIds(IdsConfig config, ServiceTokens tokens) {
        this.config = config;
        this.asRouter = tokens.credentials(ServiceName.ROUTER, ServiceName.LEAF);
        this.refiller = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "router-id-refill");
            thread.setDaemon(true);
            return thread;
        });
        long lowWater = Math.round(config.batchSize() * config.refillBelow());
        this.buffer = new IdBuffer(this::fetchBatch, refiller, lowWater);
    }

    /**
     * The next message id. Blocks only when the buffer is empty.
     *
     * @throws StatusRuntimeException UNAVAILABLE when leaf cannot be reached
     */
    public long next() {
        try {
            return buffer.next();
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message ids unavailable: " + e.getStatus().getCode());
        }
    }

    /** The next message id when one is buffered, else {@link IdBuffer#NONE}; never blocks. */
    public long nextIfBuffered() {
        return buffer.nextIfBuffered();
    }

    private List<IdBuffer.IdRun> fetchBatch() {
        NextIdsRequest request = NextIdsRequest.newBuilder()
                .setBizTag(config.bizTag()).setCount(config.batchSize()).build();
        List<IdRange> ranges = leaf.withCallCredentials(asRouter).withDeadlineAfter(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .nextIds(request).getRangesList();
        return ranges.stream().map(r -> new IdBuffer.IdRun(r.getStart(), r.getCount())).toList();
    }

    @PreDestroy
    void stop() {
        refiller.shutdownNow();
    }
}

package im.leaf.grpc;

import im.common.grpc.GrpcErrors;
import im.leaf.segment.IdBlock;
import im.leaf.segment.LeafIds;
import im.leaf.segment.SegmentStoreException;
import im.leaf.segment.TooManyTagsException;
import im.protocol.client.ErrorCode;
import im.protocol.leaf.IdRange;
import im.protocol.leaf.Leaf;
import im.protocol.leaf.NextIdsRequest;
import im.protocol.leaf.NextIdsResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** gRPC {@code Leaf}: ids by tag. Runs on a worker, since claiming a segment is a JDBC call. */
@GrpcService
public class LeafGrpcService implements Leaf {

    private static final Logger LOG = Logger.getLogger(LeafGrpcService.class);

    static final int MAX_COUNT = 10_000;
    private static final Pattern BIZ_TAG = Pattern.compile("[a-z0-9_.-]{1,64}");

    private final LeafIds ids;

    public LeafGrpcService(LeafIds ids) {
        this.ids = ids;
    }

    @Override
    @Blocking
    public Uni<NextIdsResponse> nextIds(NextIdsRequest request) {
        return Uni.createFrom().item(() -> answer(request));
    }

    private NextIdsResponse answer(NextIdsRequest request) {
        if (!BIZ_TAG.matcher(request.getBizTag()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "biz_tag must be 1..64 chars of [a-z0-9_.-]");
        }
        if (request.getCount() < 1 || request.getCount() > MAX_COUNT) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "count must be within 1.." + MAX_COUNT);
        }
        NextIdsResponse.Builder response = NextIdsResponse.newBuilder();
        try {
            for (IdBlock block : ids.next(request.getBizTag(), request.getCount())) {
                response.addRanges(IdRange.newBuilder().setStart(block.start()).setCount(block.count()));
            }
        } catch (TooManyTagsException e) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        } catch (SegmentStoreException e) {
            LOG.errorf(e, "No ids for %s", request.getBizTag());
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "id store unavailable");
        }
        return response.build();
    }
}

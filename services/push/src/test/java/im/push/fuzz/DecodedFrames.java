package im.push.fuzz;

import im.protocol.client.Frame;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.atomic.AtomicLong;

/** Where the session handler would be: counts the frames that came out of the decoders. */
@ChannelHandler.Sharable
final class DecodedFrames extends SimpleChannelInboundHandler<Frame> {

    private final AtomicLong count = new AtomicLong();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        count.incrementAndGet();
    }

    long count() {
        return count.get();
    }
}

package im.checker.proxy;

import im.client.sdk.transport.BoundedVarint32FrameDecoder;
import im.protocol.client.Frame;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.util.function.Function;

/**
 * One side of a proxied connection (client side or server side): the same framing as the push
 * listener, then the relay that decides each frame's fate and writes it to the other side.
 */
final class ProxySideInitializer extends ChannelInitializer<SocketChannel> {

    /** Above the server's and the SDK's own limits, so the proxy never refuses what they accept. */
    static final int MAX_FRAME_BYTES = 2 * 1024 * 1024;

    private final Function<SocketChannel, FaultRelayHandler> relay;
    private final Function<FaultRelayHandler, ChannelHandler> onActive;

    /**
     * @param onActive made per channel, placed after the relay to act when the channel becomes
     *     active (the client side connects its backend then); null for none
     */
    ProxySideInitializer(Function<SocketChannel, FaultRelayHandler> relay,
            Function<FaultRelayHandler, ChannelHandler> onActive) {
        this.relay = relay;
        this.onActive = onActive;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("frame-decoder", new BoundedVarint32FrameDecoder(MAX_FRAME_BYTES));
        p.addLast("protobuf-decoder", new ProtobufDecoder(Frame.getDefaultInstance()));
        p.addLast("frame-prepender", new ProtobufVarint32LengthFieldPrepender());
        p.addLast("protobuf-encoder", new ProtobufEncoder());
        FaultRelayHandler relayHandler = relay.apply(ch);
        p.addLast("relay", relayHandler);
        if (onActive != null) {
            p.addLast("connector", onActive.apply(relayHandler));
        }
    }
}

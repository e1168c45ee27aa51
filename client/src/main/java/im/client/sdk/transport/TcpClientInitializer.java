package im.client.sdk.transport;

import im.protocol.client.Frame;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.ssl.SslContext;

/**
 * Pipeline of a raw TCP connection to push: [tls] -> varint32 length framing (bounded) -> protobuf
 * Frame codec -> {@link ClientFrameHandler}. The idle handler is added once HelloOk names the
 * heartbeat interval.
 */
public final class TcpClientInitializer extends ChannelInitializer<SocketChannel> {

    private final String host;
    private final int port;
    private final SslContext sslContext;
    private final int maxFrameBytes;
    private final ClientFrameHandler handler;

    /** @param sslContext null for plain TCP */
    public TcpClientInitializer(String host, int port, SslContext sslContext, int maxFrameBytes,
            ClientFrameHandler handler) {
        this.host = host;
        this.port = port;
        this.sslContext = sslContext;
        this.maxFrameBytes = maxFrameBytes;
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (sslContext != null) {
            p.addLast(PipelineNames.TLS, sslContext.newHandler(ch.alloc(), host, port));
        }
        addFrameCodec(p, maxFrameBytes);
        p.addLast(PipelineNames.CLIENT, handler);
    }

    /** The TCP framing and protobuf codec, in order; shared with the codec tests. */
    public static void addFrameCodec(ChannelPipeline p, int maxFrameBytes) {
        p.addLast(PipelineNames.FRAME_DECODER, new BoundedVarint32FrameDecoder(maxFrameBytes));
        p.addLast(PipelineNames.PROTOBUF_DECODER, new ProtobufDecoder(Frame.getDefaultInstance()));
        p.addLast(PipelineNames.FRAME_PREPENDER, new ProtobufVarint32LengthFieldPrepender());
        p.addLast(PipelineNames.PROTOBUF_ENCODER, new ProtobufEncoder());
    }
}

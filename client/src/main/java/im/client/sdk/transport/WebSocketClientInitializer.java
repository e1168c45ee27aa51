package im.client.sdk.transport;

import im.protocol.client.Frame;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.ssl.SslContext;

import java.net.URI;

/**
 * Pipeline of a WebSocket connection to push: [tls] -> HTTP codec -> handshake and control frames
 * (payload bounded) -> continuation aggregation (bounded) -> binary message <-> bytes -> protobuf
 * Frame codec -> {@link ClientFrameHandler}, which starts the session on HANDSHAKE_COMPLETE.
 */
public final class WebSocketClientInitializer extends ChannelInitializer<SocketChannel> {

    /** The handshake answer is a few headers; anything bigger is not a WebSocket server. */
    private static final int MAX_HANDSHAKE_RESPONSE_BYTES = 16 * 1024;

    private final URI uri;
    private final SslContext sslContext;
    private final int maxFrameBytes;
    private final long handshakeTimeoutMillis;
    private final ClientFrameHandler handler;

    /** @param sslContext null for ws:// */
    public WebSocketClientInitializer(URI uri, SslContext sslContext, int maxFrameBytes,
            long handshakeTimeoutMillis, ClientFrameHandler handler) {
        this.uri = uri;
        this.sslContext = sslContext;
        this.maxFrameBytes = maxFrameBytes;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (sslContext != null) {
            p.addLast(PipelineNames.TLS, sslContext.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
        }
        p.addLast(PipelineNames.HTTP_CODEC, new HttpClientCodec());
        p.addLast(PipelineNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_BYTES));
        p.addLast(PipelineNames.WEB_SOCKET, new WebSocketClientProtocolHandler(
                WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri)
                        .maxFramePayloadLength(maxFrameBytes)
                        .handshakeTimeoutMillis(handshakeTimeoutMillis)
                        .dropPongFrames(true)
                        .build()));
        addMessageCodec(p, maxFrameBytes);
        p.addLast(PipelineNames.CLIENT, handler);
    }

    /** From WebSocket data frames to protocol Frames, in order; shared with the codec tests. */
    public static void addMessageCodec(ChannelPipeline p, int maxFrameBytes) {
        p.addLast(PipelineNames.WEB_SOCKET_AGGREGATOR, new WebSocketFrameAggregator(maxFrameBytes));
        p.addLast(PipelineNames.WEB_SOCKET_FRAMES, new WebSocketFrameAdapter());
        p.addLast(PipelineNames.PROTOBUF_DECODER, new ProtobufDecoder(Frame.getDefaultInstance()));
        p.addLast(PipelineNames.PROTOBUF_ENCODER, new ProtobufEncoder());
    }
}

package im.push.fuzz;

import im.push.codec.BoundedVarint32FrameDecoder;
import im.push.codec.Varint32FrameEncoder;
import im.push.connection.ClientExceptionHandler;
import im.push.connection.ConnectionCounters;
import im.push.websocket.BinaryMessageDecoder;
import im.push.websocket.BinaryMessageEncoder;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The push edge's decoding handlers in the order the listeners' initializers add them, on an
 * {@link EmbeddedChannel}: framing, protobuf (WebSocket: HTTP, upgrade, WebSocket protocol,
 * reassembly) and the real tail handler. In place of the session handler a sink counts the frames
 * that decoded: the session handler's answers to decoded frames are fuzzed over real sockets
 * against the whole app ({@code PushEdgeFuzzTest}), where its router, presence and token checks
 * are real.
 */
final class EdgeUnderTest {

    static final int MAX_FRAME_BYTES = 4096;
    static final String WS_PATH = "/ws";

    final ConnectionCounters counters = new ConnectionCounters();
    /** Frames that decoded, in place of the session handler: counted and dropped. */
    final DecodedFrames decoded = new DecodedFrames();
    private final ClientExceptionHandler errors = new ClientExceptionHandler(counters);
    private final Varint32FrameEncoder frameEncoder = new Varint32FrameEncoder();
    private final BinaryMessageDecoder messageDecoder = new BinaryMessageDecoder();
    private final BinaryMessageEncoder messageEncoder = new BinaryMessageEncoder();
    private final WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(WS_PATH)
            .checkStartsWith(false)
            .handshakeTimeoutMillis(10_000)
            .dropPongFrames(true)
            .decoderConfig(WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(MAX_FRAME_BYTES)
                    .allowExtensions(false)
                    .closeOnProtocolViolation(false)
                    .build())
            .build();

    /** A connection of the TCP listener. */
    EmbeddedChannel tcp() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("frame-decoder", new BoundedVarint32FrameDecoder(MAX_FRAME_BYTES));
        channel.pipeline().addLast("frame-encoder", frameEncoder);
        channel.pipeline().addLast("session", decoded);
        channel.pipeline().addLast("errors", errors);
        return channel;
    }

    /** A connection of the WebSocket listener, before its upgrade request. */
    EmbeddedChannel webSocket() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("http-codec", new HttpServerCodec());
        channel.pipeline().addLast("http-aggregator", new HttpObjectAggregator(8192));
        channel.pipeline().addLast("websocket-protocol", new WebSocketServerProtocolHandler(protocol));
        channel.pipeline().addLast("websocket-reassembly", new WebSocketFrameAggregator(MAX_FRAME_BYTES));
        channel.pipeline().addLast("frame-decoder", messageDecoder);
        channel.pipeline().addLast("frame-encoder", messageEncoder);
        channel.pipeline().addLast("session", decoded);
        channel.pipeline().addLast("errors", errors);
        return channel;
    }
}


package im.push.fuzz;

import im.push.codec.Varint32FrameEncoder;
import im.push.connection.ClientExceptionHandler;
import im.push.connection.ConnectionCounters;
import im.push.tcp.TcpServerInitializer;
import im.push.websocket.BinaryMessageDecoder;
import im.push.websocket.BinaryMessageEncoder;
import im.push.websocket.WebSocketServerInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import java.time.Duration;

/**
 * The push edge's decoding handlers, added by the listeners' initializers themselves, on an
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
    private final WebSocketServerProtocolConfig protocol =
            WebSocketServerInitializer.protocol(WS_PATH, Duration.ofSeconds(10), MAX_FRAME_BYTES);

    /** A connection of the TCP listener. */
    EmbeddedChannel tcp() {
        EmbeddedChannel channel = new EmbeddedChannel();
        TcpServerInitializer.addFraming(channel.pipeline(), MAX_FRAME_BYTES, frameEncoder, decoded, errors);
        return channel;
    }

    /** A connection of the WebSocket listener, before its upgrade request. */
    EmbeddedChannel webSocket() {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketServerInitializer.addWebSocket(channel.pipeline(), 8192, protocol, messageDecoder, messageEncoder,
                decoded, errors);
        return channel;
    }
}

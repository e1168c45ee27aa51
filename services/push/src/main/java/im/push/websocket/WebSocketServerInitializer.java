package im.push.websocket;

import im.push.PushConfig;
import im.push.connection.ClientExceptionHandler;
import im.push.connection.ConnectionConfig;
import im.push.connection.ConnectionCounters;
import im.push.connection.ConnectionLimitHandler;
import im.push.connection.FlushBatching;
import im.push.connection.IdleCloseHandler;
import im.push.connection.WritabilityHandler;
import im.push.session.ClientFrameHandler;
import im.push.tls.ServerTls;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Duration;

/**
 * The WebSocket pipeline, in order: connection limit -> TLS (when configured:
 * {@link ServerTls}) -> idle -> backpressure ->
 * HTTP codec -> bounded HTTP aggregation (the upgrade request only) -> WebSocket protocol with a
 * bounded payload -> bounded reassembly of fragmented messages -> binary message <-> Frame ->
 * session (shared with TCP) -> tail.
 *
 * <p>The WebSocket decoder does not close on a protocol violation by itself: the violation
 * reaches the tail handler, which answers Error{FRAME_TOO_LARGE or BAD_FRAME} as a binary
 * message first, exactly as on TCP, then closes.
 */
public class WebSocketServerInitializer extends ChannelInitializer<SocketChannel> {

    private final ChannelGroup connections;
    private final WebSocketConfig config;
    private final ConnectionConfig connectionConfig;
    private final ConnectionCounters counters;
    private final long readerIdleMillis;
    private final WebSocketServerProtocolConfig protocol;
    private final ConnectionLimitHandler limit;
    private final BinaryMessageDecoder messageDecoder = new BinaryMessageDecoder();
    private final BinaryMessageEncoder messageEncoder = new BinaryMessageEncoder();
    private final ClientFrameHandler session;
    private final ClientExceptionHandler errors;
    private final ServerTls tls;

    public WebSocketServerInitializer(ChannelGroup connections, WebSocketConfig config, PushConfig push,
            ConnectionConfig connectionConfig, ConnectionCounters counters, ClientFrameHandler session) {
        this(connections, config, push, connectionConfig, counters, session, ServerTls.plain());
    }

    public WebSocketServerInitializer(ChannelGroup connections, WebSocketConfig config, PushConfig push,
            ConnectionConfig connectionConfig, ConnectionCounters counters, ClientFrameHandler session,
            ServerTls tls) {
        this.tls = tls;
        this.connections = connections;
        this.config = config;
        this.connectionConfig = connectionConfig;
        this.counters = counters;
        this.readerIdleMillis = push.heartbeatInterval().toMillis() * 3;
        this.protocol = protocol(config.path(), config.handshakeTimeout(), push.maxFrameBytes());
        this.limit = new ConnectionLimitHandler(counters, push.maxConnections());
        this.session = session;
        this.errors = new ClientExceptionHandler(counters);
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("connection-limit", limit);
        if (tls.enabled()) {
            // Nearer the socket than the flush consolidation, so that frames flushed together are
            // encrypted together (fewer, fuller records).
            pipeline.addLast("tls", tls.newHandler(channel.alloc()));
        }
        pipeline.addLast("flush-consolidation", FlushBatching.handler());
        pipeline.addLast("idle", new IdleCloseHandler(counters, readerIdleMillis));
        pipeline.addLast("backpressure", new WritabilityHandler(counters, connectionConfig.unwritableCloseAfter()));
        addWebSocket(pipeline, config.maxHttpRequestBytes(), protocol, messageDecoder, messageEncoder, session, errors);
    }

    /**
     * The WebSocket protocol at {@code path}: payloads of at most {@code maxFrameBytes}, no
     * extensions, and a violation passed on to the tail handler instead of closing at once.
     */
    public static WebSocketServerProtocolConfig protocol(String path, Duration handshakeTimeout, int maxFrameBytes) {
        return WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(path)
                .checkStartsWith(false)
                .handshakeTimeoutMillis(handshakeTimeout.toMillis())
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFrameBytes)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(false)
                        .build())
                .build();
    }

    /**
     * What follows the connection's own handlers (limit, TLS, idle, backpressure): HTTP and the
     * upgrade, the WebSocket protocol and reassembly, binary messages both ways, then
     * {@code session} and the tail handler. Public so that tests decode through exactly this
     * pipeline.
     */
    public static void addWebSocket(ChannelPipeline pipeline, int maxHttpRequestBytes,
            WebSocketServerProtocolConfig protocol, BinaryMessageDecoder messageDecoder,
            BinaryMessageEncoder messageEncoder, ChannelHandler session, ClientExceptionHandler errors) {
        int maxFrameBytes = protocol.decoderConfig().maxFramePayloadLength();
        pipeline.addLast("http-codec", new HttpServerCodec());
        pipeline.addLast("http-aggregator", new HttpObjectAggregator(maxHttpRequestBytes));
        pipeline.addLast("websocket-protocol", new WebSocketServerProtocolHandler(protocol));
        pipeline.addLast("websocket-reassembly", new WebSocketFrameAggregator(maxFrameBytes));
        pipeline.addLast("frame-decoder", messageDecoder);
        pipeline.addLast("frame-encoder", messageEncoder);
        pipeline.addLast("session", session);
        pipeline.addLast("errors", errors);
    }
}

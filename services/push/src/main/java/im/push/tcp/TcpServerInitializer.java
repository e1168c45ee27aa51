package im.push.tcp;

import im.push.PushConfig;
import im.push.codec.BoundedVarint32FrameDecoder;
import im.push.codec.Varint32FrameEncoder;
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

/**
 * The TCP pipeline, in order: connection limit -> TLS (when configured:
 * {@link ServerTls}) -> idle -> backpressure ->
 * bounded varint32 framing and protobuf Frame -> session (shared with WebSocket) -> tail.
 * Outbound: Frame -> varint32 length prefix and protobuf bytes, in one buffer.
 */
public class TcpServerInitializer extends ChannelInitializer<SocketChannel> {

    private final ChannelGroup connections;
    private final ConnectionConfig connectionConfig;
    private final ConnectionCounters counters;
    private final int maxFrameBytes;
    private final long readerIdleMillis;
    private final ConnectionLimitHandler limit;
    private final Varint32FrameEncoder frameEncoder = new Varint32FrameEncoder();
    private final ClientFrameHandler session;
    private final ClientExceptionHandler errors;
    private final ServerTls tls;

    public TcpServerInitializer(ChannelGroup connections, PushConfig push, ConnectionConfig connectionConfig,
            ConnectionCounters counters, ClientFrameHandler session) {
        this(connections, push, connectionConfig, counters, session, ServerTls.plain());
    }

    public TcpServerInitializer(ChannelGroup connections, PushConfig push, ConnectionConfig connectionConfig,
            ConnectionCounters counters, ClientFrameHandler session, ServerTls tls) {
        this.tls = tls;
        this.connections = connections;
        this.connectionConfig = connectionConfig;
        this.counters = counters;
        this.maxFrameBytes = push.maxFrameBytes();
        this.readerIdleMillis = push.heartbeatInterval().toMillis() * 3;
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
        addFraming(pipeline, maxFrameBytes, frameEncoder, session, errors);
    }

    /**
     * What follows the connection's own handlers (limit, TLS, idle, backpressure): framing both
     * ways, then {@code session} and the tail handler. Public so that tests decode through exactly
     * this pipeline.
     */
    public static void addFraming(ChannelPipeline pipeline, int maxFrameBytes, Varint32FrameEncoder frameEncoder,
            ChannelHandler session, ClientExceptionHandler errors) {
        pipeline.addLast("frame-decoder", new BoundedVarint32FrameDecoder(maxFrameBytes));
        pipeline.addLast("frame-encoder", frameEncoder);
        pipeline.addLast("session", session);
        pipeline.addLast("errors", errors);
    }
}

package im.push.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Ping;
import im.push.codec.FrameParser;
import im.push.connection.ClientExceptionHandler;
import im.push.connection.ConnectionCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import org.junit.jupiter.api.Test;

/** The WebSocket message <-> Frame pieces, in the order WebSocketServerInitializer adds them. */
class WebSocketFramingTest {

    private static final int MAX = 1024;

    private static EmbeddedChannel pipeline() {
        return new EmbeddedChannel(
                new WebSocketFrameAggregator(MAX),
                new BinaryMessageDecoder(),
                new BinaryMessageEncoder(),
                new ClientExceptionHandlerProbe());
    }

    private static Frame error(EmbeddedChannel channel) {
        BinaryWebSocketFrame message = channel.readOutbound();
        try {
            return FrameParser.parse(message.content());
        } finally {
            message.release();
        }
    }

    private static Frame ping(long requestId) {
        return Frame.newBuilder().setRequestId(requestId).setPing(Ping.getDefaultInstance()).build();
    }

    @Test
    void binaryMessageBecomesOneFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameAggregator(MAX), new BinaryMessageDecoder());

        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ping(5).toByteArray())));

        assertEquals(ping(5), channel.readInbound());
    }

    @Test
    void fragmentedBinaryMessageIsReassembledIntoOneFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameAggregator(MAX), new BinaryMessageDecoder());
        byte[] bytes = ping(6).toByteArray();

        channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(bytes, 0, 1)));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(bytes, 1, bytes.length - 1)));

        assertEquals(ping(6), channel.readInbound());
    }

    @Test
    void frameIsWrittenAsOneBinaryMessage() {
        EmbeddedChannel channel = pipeline();

        channel.writeOutbound(ping(8));

        BinaryWebSocketFrame message = channel.readOutbound();
        assertEquals(ping(8), FrameParser.parse(message.content()));
        message.release();
    }

    @Test
    void textMessageIsRefusedWithBadFrameAndCloses() {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(new TextWebSocketFrame("{\"hello\":{}}"));

        assertEquals(ErrorCode.BAD_FRAME, error(channel).getError().getCode());
        assertFalse(channel.isOpen());
    }

    @Test
    void binaryMessageThatIsNotAFrameIsRefusedWithBadFrame() {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, (byte) 0xFF})));

        assertEquals(ErrorCode.BAD_FRAME, error(channel).getError().getCode());
        assertFalse(channel.isOpen());
    }

    @Test
    void fragmentedMessageOverTheMaximumIsRefusedWithFrameTooLarge() {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX])));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[10])));

        assertEquals(ErrorCode.FRAME_TOO_LARGE, error(channel).getError().getCode());
        assertFalse(channel.isOpen());
    }

    @Test
    void declaredPayloadOverTheMaximumIsRefusedFromTheHeaderAlone() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(MAX).closeOnProtocolViolation(false).build()),
                new BinaryMessageDecoder(),
                new BinaryMessageEncoder(),
                new ClientExceptionHandlerProbe());
        ByteBuf header = Unpooled.buffer();
        header.writeByte(0x82);             // FIN, binary
        header.writeByte(0x80 | 127);       // masked, 64-bit length follows
        header.writeLong(10L * 1024 * 1024); // 10 MiB declared, none of it sent
        header.writeInt(0x01020304);        // mask

        channel.writeInbound(header);

        assertEquals(ErrorCode.FRAME_TOO_LARGE, error(channel).getError().getCode());
        assertFalse(channel.isOpen());
    }

    @Test
    void pingFrameSurvivesTheRoundTrip() {
        EmbeddedChannel channel = new EmbeddedChannel(new BinaryMessageDecoder(), new BinaryMessageEncoder());
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ping(1).toByteArray())));
        Object decoded = channel.readInbound();
        assertInstanceOf(Frame.class, decoded);
        assertTrue(channel.isOpen());
    }

    @Test
    void plainHttpRequestOffTheWebSocketPathIsAnswered404AndClosed() {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/index.html"));

        FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.NOT_FOUND, response.status());
        response.release();
        assertFalse(channel.isOpen());
    }

    /** The real tail handler with its own counters. */
    private static final class ClientExceptionHandlerProbe extends ClientExceptionHandler {
        ClientExceptionHandlerProbe() {
            super(new ConnectionCounters());
        }
    }
}

package im.client.sdk.transport;

import im.protocol.client.Frame;
import im.protocol.client.Ping;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketFrameAdapterTest {

    private static final int MAX = 1024;

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketClientInitializer.addMessageCodec(ch.pipeline(), MAX);
        return ch;
    }

    private static final Frame PING = Frame.newBuilder().setRequestId(9).setPing(Ping.getDefaultInstance()).build();

    @Test
    void oneBinaryMessageIsOneFrame() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(PING.toByteArray())));
        assertEquals(PING, ch.readInbound());
    }

    @Test
    void outboundFrameBecomesOneBinaryMessageWithoutLengthPrefix() {
        EmbeddedChannel ch = channel();
        assertTrue(ch.writeOutbound(PING));
        BinaryWebSocketFrame message = ch.readOutbound();
        ByteBuf content = message.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        message.release();
        assertArrayEquals(PING.toByteArray(), bytes);
    }

    @Test
    void fragmentedMessageIsReassembledIntoOneFrame() {
        EmbeddedChannel ch = channel();
        byte[] bytes = PING.toByteArray();
        int half = bytes.length / 2;
        ch.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(Arrays.copyOf(bytes, half))));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0,
                Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, half, bytes.length))));
        assertEquals(PING, ch.readInbound());
    }

    @Test
    void fragmentedMessageAboveTheLimitIsRefused() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX])));
        assertThrows(TooLongFrameException.class,
                () -> ch.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[10]))));
    }

    @Test
    void textMessageIsNotPartOfTheProtocol() {
        EmbeddedChannel ch = channel();
        assertThrows(CorruptedFrameException.class, () -> ch.writeInbound(new TextWebSocketFrame("hi")));
    }
}

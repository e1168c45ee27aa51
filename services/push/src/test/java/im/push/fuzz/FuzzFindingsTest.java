package im.push.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.protocol.client.ErrorCode;
import im.push.codec.FrameParser;
import im.push.codec.FrameRejectedException;
import im.push.connection.ClientExceptionHandler;
import im.push.connection.ConnectionCounters;
import im.push.websocket.BinaryMessageDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Inputs the fuzz runs found, kept as plain regression tests. */
class FuzzFindingsTest {

    private static ByteBuf direct(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }

    /**
     * A body field whose length is Integer.MAX_VALUE: protobuf's Unsafe decoder for direct buffers
     * overflowed its limit and read past the frame (an index error here, a JVM crash when the field
     * is bytes). Socket reads are direct buffers, so one 16-byte frame could take a node down.
     */
    @Test
    void frameWithANestedLengthOfIntMaxInADirectBufferIsBadFrame() {
        for (String hex : new String[] {
                "d201ffffffff070a25703a712a32183a",
                "7affffffff070a2430313930633361382d376630302d373030302d383030302d303030303030303030303031"}) {
            ByteBuf frame = direct(hex);
            try {
                FrameRejectedException rejected = assertThrows(FrameRejectedException.class, () -> FrameParser.parse(frame));
                assertEquals(ErrorCode.BAD_FRAME, rejected.code());
            } finally {
                frame.release();
            }
        }
    }

    /** A client that hangs up inside a fragmented WebSocket message is no error of ours. */
    @Test
    void peerGoneInTheMiddleOfAFragmentedMessageCountsAsAnIoErrorNotAsABug() {
        ConnectionCounters counters = new ConnectionCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameAggregator(1024), new BinaryMessageDecoder(),
                new ClientExceptionHandler(counters));

        channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {8, 1})));
        channel.close();

        assertEquals(0, counters.unexpectedErrors());
        assertEquals(1, counters.ioErrors());
    }
}

package im.push.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Hello;
import im.protocol.client.Ping;
import im.push.connection.ClientExceptionHandler;
import im.push.connection.ConnectionCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The TCP framing pieces of the pipeline, in the order TcpServerInitializer adds them. */
class TcpFramingTest {

    private static final int MAX = 1024;

    private final ConnectionCounters counters = new ConnectionCounters();

    private EmbeddedChannel pipeline() {
        return new EmbeddedChannel(
                new BoundedVarint32FrameDecoder(MAX),
                new Varint32FrameEncoder());
    }

    private EmbeddedChannel pipelineWithTail() {
        EmbeddedChannel channel = pipeline();
        channel.pipeline().addLast(new ClientExceptionHandler(counters));
        return channel;
    }

    private static byte[] delimited(Frame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            frame.writeDelimitedTo(out);
        }
        return out.toByteArray();
    }

    private static Frame hello(long requestId) {
        return Frame.newBuilder().setRequestId(requestId)
                .setHello(Hello.newBuilder().setAccessToken("t".repeat(100)).setDeviceId("phone-1")).build();
    }

    private static Frame readError(EmbeddedChannel channel) throws IOException {
        ByteBuf written = Unpooled.buffer();
        for (Object part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) part;
            written.writeBytes(buf);
            buf.release();
        }
        try {
            return Frame.parseDelimitedFrom(new ByteBufInputStream(written));
        } finally {
            written.release();
        }
    }

    @Test
    void declaredLengthOverMaximumIsRefusedWithFrameTooLargeBeforeTheBodyArrives() throws IOException {
        EmbeddedChannel channel = pipelineWithTail();
        ByteBuf prefixOnly = Unpooled.buffer();
        byte[] prefix = new byte[5];
        CodedOutputStream coded = CodedOutputStream.newInstance(prefix);
        coded.writeUInt32NoTag(10 * 1024 * 1024);
        prefixOnly.writeBytes(prefix, 0, coded.getTotalBytesWritten());

        channel.writeInbound(prefixOnly);

        Frame error = readError(channel);
        assertEquals(ErrorCode.FRAME_TOO_LARGE, error.getError().getCode());
        assertFalse(channel.isOpen());
        assertEquals(1, counters.rejected(ErrorCode.FRAME_TOO_LARGE));
        assertNull(channel.readInbound());
    }

    @Test
    void bytesAfterAnOversizedPrefixAreDiscardedNotBuffered() {
        BoundedVarint32FrameDecoder decoder = new BoundedVarint32FrameDecoder(MAX);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ByteBuf oversized = Unpooled.buffer();
        oversized.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, 0x01}); // 16384
        oversized.writeBytes(new byte[500]);
        FrameRejectedException rejected = assertThrows(FrameRejectedException.class, () -> channel.writeInbound(oversized));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, rejected.code());
        ByteBuf more = Unpooled.wrappedBuffer(new byte[4000]);
        assertFalse(channel.writeInbound(more));
        assertEquals(0, more.refCnt(), "later bytes are consumed and released, not kept");
        channel.finishAndReleaseAll();
    }

    @Test
    void malformedLengthPrefixIsAnsweredWithBadFrameAndCloses() throws IOException {
        EmbeddedChannel channel = pipelineWithTail();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {-1, -1, -1, -1, -1, -1, 1, 2, 3}));

        assertEquals(ErrorCode.BAD_FRAME, readError(channel).getError().getCode());
        assertFalse(channel.isOpen());
    }

    @Test
    void bodyThatIsNotAFrameIsAnsweredWithBadFrameAndCloses() throws IOException {
        EmbeddedChannel channel = pipelineWithTail();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {4, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));

        assertEquals(ErrorCode.BAD_FRAME, readError(channel).getError().getCode());
        assertFalse(channel.isOpen());
    }

    @Test
    void frameSplitAcrossManyReadsIsReassembled() throws IOException {
        EmbeddedChannel channel = pipeline();
        byte[] bytes = delimited(hello(7));

        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        assertEquals(hello(7), channel.readInbound());
        assertNull(channel.readInbound());
        assertTrue(channel.isOpen());
    }

    @Test
    void severalFramesInOneReadAllDecodeInOrder() throws IOException {
        EmbeddedChannel channel = pipeline();
        Frame ping = Frame.newBuilder().setRequestId(2).setPing(Ping.getDefaultInstance()).build();

        channel.writeInbound(Unpooled.wrappedBuffer(delimited(hello(1), ping, hello(3))));

        assertEquals(hello(1), channel.readInbound());
        assertEquals(ping, channel.readInbound());
        assertEquals(hello(3), channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void framesBeforeABadOneInTheSameReadAreStillDelivered() throws IOException {
        EmbeddedChannel channel = pipeline();
        channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                // swallowed here; the tail handler's answer is covered above
            }
        });
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeBytes(delimited(hello(1)));
        bytes.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1});

        channel.writeInbound(bytes);

        assertEquals(hello(1), channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void outboundFramesGetTheVarintLengthPrefix() throws IOException {
        EmbeddedChannel channel = pipeline();

        channel.writeOutbound(hello(9));

        ByteBuf written = Unpooled.buffer();
        for (Object part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            written.writeBytes((ByteBuf) part);
            ((ByteBuf) part).release();
        }
        assertEquals(hello(9), Frame.parseDelimitedFrom(new ByteBufInputStream(written, true)));
    }

    @Test
    void outboundFramesAreByteForByteTheirDelimitedFormWhateverTheirLengthPrefixSize() throws IOException {
        EmbeddedChannel channel = pipeline();
        // bodies of 0, 1-byte, 2-byte and 3-byte length prefixes
        Frame[] frames = {Frame.getDefaultInstance(), hello(1),
                Frame.newBuilder().setHello(Hello.newBuilder().setAccessToken("t".repeat(300))).build(),
                Frame.newBuilder().setHello(Hello.newBuilder().setAccessToken("t".repeat(20_000))).build()};

        for (Frame frame : frames) {
            channel.writeOutbound(frame);
            ByteBuf written = channel.readOutbound();
            byte[] bytes = new byte[written.readableBytes()];
            written.readBytes(bytes);
            written.release();
            assertArrayEquals(delimited(frame), bytes);
        }
    }
}

package im.client.sdk.transport;

import im.protocol.client.Frame;
import im.protocol.client.Ping;
import im.protocol.client.Send;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpFrameCodecTest {

    private static final int MAX = 1024;

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        TcpClientInitializer.addFrameCodec(ch.pipeline(), MAX);
        return ch;
    }

    private static Frame send(int bodyBytes) {
        return Frame.newBuilder().setRequestId(7).setSend(Send.newBuilder()
                .setClientMsgId("c-1").setToUserId(42).setBody(ByteString.copyFrom(new byte[bodyBytes]))).build();
    }

    /** The wire form: varint32 length, then the frame. */
    private static byte[] wire(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeUInt32NoTag(frame.getSerializedSize());
        frame.writeTo(coded);
        coded.flush();
        return out.toByteArray();
    }

    @Test
    void outboundFrameIsWrittenAsVarintLengthThenBytes() throws IOException {
        EmbeddedChannel ch = channel();
        Frame frame = send(300);
        assertTrue(ch.writeOutbound(frame));
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf part; (part = ch.readOutbound()) != null; ) {
            out.writeBytes(part);
            part.release();
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        assertArrayEqualsBytes(wire(frame), bytes);
        assertFalse(ch.finish());
    }

    @Test
    void inboundFrameSplitAcrossReadsIsReassembled() throws IOException {
        EmbeddedChannel ch = channel();
        byte[] bytes = wire(send(500));
        for (int i = 0; i < bytes.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
        }
        assertEquals(send(500), ch.readInbound());
        assertNull(ch.readInbound());
    }

    @Test
    void twoFramesInOneReadAreBothDecoded() throws IOException {
        EmbeddedChannel ch = channel();
        Frame ping = Frame.newBuilder().setRequestId(1).setPing(Ping.getDefaultInstance()).build();
        ch.writeInbound(Unpooled.wrappedBuffer(wire(ping), wire(send(10))));
        assertEquals(ping, ch.readInbound());
        assertEquals(send(10), ch.readInbound());
    }

    @Test
    void inboundFrameAboveTheLimitIsRefusedBeforeItIsBuffered() throws IOException {
        EmbeddedChannel ch = channel();
        byte[] prefixOnly = new byte[5];
        int n = CodedOutputStream.computeUInt32SizeNoTag(MAX + 1);
        CodedOutputStream.newInstance(prefixOnly).writeUInt32NoTag(MAX + 1);
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(prefixOnly, 0, n)));
        assertInstanceOf(TooLongFrameException.class, e);
        // Whatever follows on a stream that lost its framing is discarded, never decoded.
        ch.writeInbound(Unpooled.wrappedBuffer(wire(send(1))));
        assertNull(ch.readInbound());
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() throws IOException {
        EmbeddedChannel ch = channel();
        int body = MAX;
        while (send(body).getSerializedSize() > MAX) {
            body--;
        }
        Frame frame = send(body);
        assertEquals(MAX, frame.getSerializedSize());
        ch.writeInbound(Unpooled.wrappedBuffer(wire(frame)));
        assertEquals(frame, ch.readInbound());
    }

    @Test
    void lengthPrefixLongerThanFiveBytesIsCorrupt() {
        EmbeddedChannel ch = channel();
        byte[] bad = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(bad)));
        assertInstanceOf(CorruptedFrameException.class, e);
    }

    @Test
    void bytesThatAreNotAFrameFailTheChannel() {
        EmbeddedChannel ch = channel();
        byte[] garbage = {3, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(garbage)));
    }

    private static void assertArrayEqualsBytes(byte[] expected, byte[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}

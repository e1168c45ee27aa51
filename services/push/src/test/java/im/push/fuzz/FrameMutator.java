package im.push.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import im.protocol.client.ConversationCursor;
import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.GetReceipts;
import im.protocol.client.Hello;
import im.protocol.client.Ping;
import im.protocol.client.Read;
import im.protocol.client.Reauthenticate;
import im.protocol.client.Send;
import im.protocol.client.SyncRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of what a client writes to the push edge, for fuzzing without a coverage
 * engine: everything comes from one {@link SplittableRandom}, so the seed printed by a test
 * replays its run input for input. Starts from a corpus of valid frames (the ones a real client
 * sends) and breaks them the ways a broken or hostile client would: bit flips, truncation, bytes
 * inserted or deleted, garbage inside an otherwise valid Frame, unknown field numbers and wire
 * types, overlong varints, length prefixes that lie (short, long, huge) and splices of two frames.
 */
public final class FrameMutator {

    /** Field numbers of Frame whose body is a message, in the oneof. */
    private static final int FIRST_BODY_FIELD = 10;
    private static final int LAST_BODY_FIELD = 27;

    private final SplittableRandom random;
    private final List<Frame> corpus;
    private final int maxFrameBytes;

    public FrameMutator(long seed, List<Frame> corpus, int maxFrameBytes) {
        this.random = new SplittableRandom(seed);
        this.corpus = List.copyOf(corpus);
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Valid frames of every kind a client sends; the Hello carries {@code token}. */
    public static List<Frame> corpus(String token, long peerId) {
        List<Frame> frames = new ArrayList<>();
        frames.add(Frame.newBuilder().setRequestId(1).setHello(Hello.newBuilder().setAccessToken(token)
                .setDeviceId("fuzz-phone").addCursors(ConversationCursor.newBuilder()
                        .setConversationId("p:1:2").setLastSeq(3))).build());
        frames.add(Frame.newBuilder().setRequestId(2).setSend(Send.newBuilder()
                .setClientMsgId("0190c3a8-7f00-7000-8000-000000000001").setToUserId(peerId)
                .setBody(ByteString.copyFromUtf8("hello")).setClientSeq(1)).build());
        frames.add(Frame.newBuilder().setRequestId(3).setSend(Send.newBuilder()
                .setClientMsgId("0190c3a8-7f00-7000-8000-000000000002").setGroupId(77)
                .setBody(ByteString.copyFromUtf8("to the group"))).build());
        frames.add(Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                .setConversationId("p:1:2").setSeq(4).setMsgId(1004)).build());
        frames.add(Frame.newBuilder().setRequestId(5).setRead(Read.newBuilder()
                .setConversationId("p:1:2").setUpToSeq(4)).build());
        frames.add(Frame.newBuilder().setRequestId(6).setSyncRequest(SyncRequest.newBuilder()
                .setConversationId("p:1:2").setAfterSeq(0).setLimit(50)).build());
        frames.add(Frame.newBuilder().setRequestId(7).setPing(Ping.getDefaultInstance()).build());
        frames.add(Frame.newBuilder().setRequestId(8).setGetReceipts(GetReceipts.newBuilder()
                .setConversationId("p:1:2").setReadersOfSeq(1)).build());
        frames.add(Frame.newBuilder().setRequestId(9).setReauthenticate(Reauthenticate.newBuilder()
                .setAccessToken(token)).build());
        return frames;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    Frame pick() {
        return corpus.get(random.nextInt(corpus.size()));
    }

    /** One frame's bytes (what one WebSocket message carries), mutated one to three times. */
    public byte[] nextFrame() {
        byte[] bytes = pick().toByteArray();
        int rounds = 1 + random.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            bytes = mutate(bytes);
        }
        return bytes;
    }

    /**
     * A TCP stream: a few frames, each with a varint32 length prefix that is usually right and
     * sometimes lies, one of them (or the framing itself) mutated.
     */
    public byte[] nextTcpStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(3);
        int broken = random.nextInt(frames);
        for (int i = 0; i < frames; i++) {
            byte[] body = i == broken ? nextFrame() : pick().toByteArray();
            writePrefix(out, i == broken ? lyingLength(body.length) : body.length);
            out.writeBytes(body);
        }
        byte[] stream = out.toByteArray();
        return random.nextInt(4) == 0 ? mutate(stream) : stream;
    }

    /**
     * What a WebSocket client writes after the upgrade: a few messages, mostly binary Frames (one
     * of them mutated), sometimes text, fragmented, a control frame, or WebSocket framing that is
     * itself broken (header bits flipped, reserved bits or opcodes, an unmasked frame, a declared
     * payload far over the maximum).
     */
    public byte[] nextWebSocketStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int messages = 1 + random.nextInt(3);
        int broken = random.nextInt(messages);
        for (int i = 0; i < messages; i++) {
            byte[] payload = i == broken ? nextFrame() : pick().toByteArray();
            int mask = random.nextInt();
            byte[] frame;
            switch (i == broken ? random.nextInt(10) : 9) {
                case 0:
                    frame = WebSocketBytes.clientFrame(true, WebSocketBytes.OP_TEXT, payload, mask);
                    break;
                case 1: {
                    int cut = random.nextInt(payload.length + 1);
                    out.writeBytes(WebSocketBytes.clientFrame(false, WebSocketBytes.OP_BINARY,
                            Arrays.copyOf(payload, cut), mask));
                    frame = WebSocketBytes.clientFrame(random.nextInt(4) != 0, WebSocketBytes.OP_CONTINUATION,
                            Arrays.copyOfRange(payload, cut, payload.length), mask);
                    break;
                }
                case 2:
                    frame = headerMutated(WebSocketBytes.clientFrame(true, WebSocketBytes.OP_BINARY, payload, mask));
                    break;
                case 3:
                    // any opcode, reserved ones and control frames with long payloads included
                    frame = WebSocketBytes.clientFrame(random.nextBoolean(), random.nextInt(16), payload, mask);
                    break;
                case 4: {
                    // declared payload over the maximum (or absurd), with little or nothing after it
                    ByteArrayOutputStream header = new ByteArrayOutputStream();
                    header.write(0x80 | WebSocketBytes.OP_BINARY);
                    header.write(0x80 | 127);
                    long declared = random.nextBoolean() ? maxFrameBytes + 1L + random.nextInt(1 << 20) : random.nextLong();
                    for (int shift = 56; shift >= 0; shift -= 8) {
                        header.write((int) (declared >>> shift));
                    }
                    header.writeBytes(randomBytes(4 + random.nextInt(8)));
                    frame = header.toByteArray();
                    break;
                }
                case 5: {
                    // unmasked: a client must mask
                    byte[] masked = WebSocketBytes.clientFrame(true, WebSocketBytes.OP_BINARY, payload, 0);
                    masked[1] &= 0x7F;
                    frame = masked;
                    break;
                }
                case 6:
                    frame = mutate(WebSocketBytes.clientFrame(true, WebSocketBytes.OP_BINARY, payload, mask));
                    break;
                default:
                    frame = WebSocketBytes.clientFrame(true, WebSocketBytes.OP_BINARY, payload, mask);
                    break;
            }
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private byte[] headerMutated(byte[] frame) {
        byte[] out = frame.clone();
        int headerBytes = Math.min(out.length, 2 + random.nextInt(8));
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            out[random.nextInt(headerBytes)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private long lyingLength(int real) {
        switch (random.nextInt(8)) {
            case 0:
                return Math.max(0, real - 1 - random.nextInt(Math.max(1, real)));
            case 1:
                return real + 1 + random.nextInt(16);
            case 2:
                return maxFrameBytes + 1L + random.nextInt(1 << 20);
            case 3:
                return 0xFFFFFFFFL;
            default:
                return real;
        }
    }

    private void writePrefix(ByteArrayOutputStream out, long length) {
        if (random.nextInt(10) == 0) {
            out.writeBytes(overlongVarint(length));
        } else {
            writeVarint(out, length);
        }
    }

    byte[] mutate(byte[] in) {
        switch (random.nextInt(12)) {
            case 0:
                return flipBits(in);
            case 1:
                return truncate(in);
            case 2:
                return insert(in);
            case 3:
                return delete(in);
            case 4:
                return garbageInsideBody(in);
            case 5:
                return withUnknownField(in);
            case 6:
                return withOverlongRequestId(in);
            case 7:
                return withLyingInnerLength(in);
            case 8:
                return splice(in, pick().toByteArray());
            case 9:
                return randomBytes(random.nextInt(64));
            case 10:
                return duplicateRange(in);
            default:
                return flipBits(in);
        }
    }

    private byte[] flipBits(byte[] in) {
        if (in.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        byte[] out = in.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private byte[] truncate(byte[] in) {
        return Arrays.copyOf(in, in.length == 0 ? 0 : random.nextInt(in.length));
    }

    private byte[] insert(byte[] in) {
        int at = random.nextInt(in.length + 1);
        byte[] extra = randomBytes(1 + random.nextInt(16));
        byte[] out = new byte[in.length + extra.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(in, at, out, at + extra.length, in.length - at);
        return out;
    }

    private byte[] delete(byte[] in) {
        if (in.length == 0) {
            return in;
        }
        int from = random.nextInt(in.length);
        int count = 1 + random.nextInt(Math.min(16, in.length - from));
        byte[] out = new byte[in.length - count];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(in, from + count, out, from, in.length - from - count);
        return out;
    }

    private byte[] duplicateRange(byte[] in) {
        if (in.length == 0) {
            return in;
        }
        int from = random.nextInt(in.length);
        int count = 1 + random.nextInt(in.length - from);
        byte[] out = new byte[in.length + count];
        System.arraycopy(in, 0, out, 0, from + count);
        System.arraycopy(in, from, out, from + count, in.length - from);
        return out;
    }

    /** A valid Frame envelope (request id, body field, right length) around a mutated body. */
    private byte[] garbageInsideBody(byte[] ignored) {
        Frame frame = pick();
        byte[] body = frame.getBodyCase() == Frame.BodyCase.BODY_NOT_SET ? new byte[0] : bodyBytes(frame);
        byte[] inner = random.nextBoolean() ? flipBits(body) : insert(truncate(body));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (1 << 3)); // request_id, varint
        writeVarint(out, frame.getRequestId());
        int field = FIRST_BODY_FIELD + random.nextInt(LAST_BODY_FIELD - FIRST_BODY_FIELD + 1);
        writeVarint(out, ((long) field << 3) | 2);
        writeVarint(out, inner.length);
        out.writeBytes(inner);
        return out.toByteArray();
    }

    private static byte[] bodyBytes(Frame frame) {
        Frame withoutId = frame.toBuilder().clearRequestId().build();
        byte[] all = withoutId.toByteArray();
        // tag (1 or 2 bytes for fields 10..27) then the length varint, then the body
        int at = 0;
        while ((all[at] & 0x80) != 0) {
            at++;
        }
        at++;
        while ((all[at] & 0x80) != 0) {
            at++;
        }
        at++;
        return Arrays.copyOfRange(all, at, all.length);
    }

    /** An extra field at a random place: any field number, any wire type (the invalid 6 and 7 too). */
    private byte[] withUnknownField(byte[] in) {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        long number = random.nextInt(4) == 0 ? 1 + random.nextInt((1 << 29) - 1) : 1 + random.nextInt(40);
        int wireType = random.nextInt(8);
        writeVarint(field, (number << 3) | wireType);
        switch (wireType) {
            case 0:
                writeVarint(field, random.nextLong() >>> random.nextInt(64));
                break;
            case 1:
                field.writeBytes(randomBytes(8));
                break;
            case 2: {
                byte[] value = randomBytes(random.nextInt(32));
                writeVarint(field, random.nextInt(5) == 0 ? value.length + 1 + random.nextInt(1000) : value.length);
                field.writeBytes(value);
                break;
            }
            case 5:
                field.writeBytes(randomBytes(4));
                break;
            default:
                // start group, end group (deprecated) and the invalid wire types: nothing follows
                break;
        }
        byte[] extra = field.toByteArray();
        boolean atEnd = random.nextBoolean();
        byte[] out = new byte[in.length + extra.length];
        if (atEnd) {
            System.arraycopy(in, 0, out, 0, in.length);
            System.arraycopy(extra, 0, out, in.length, extra.length);
        } else {
            System.arraycopy(extra, 0, out, 0, extra.length);
            System.arraycopy(in, 0, out, extra.length, in.length);
        }
        return out;
    }

    /** The request id encoded as a varint longer than ten bytes, or padded with 0x80 continuation bytes. */
    private byte[] withOverlongRequestId(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, 1 << 3);
        out.writeBytes(overlongVarint(random.nextLong() >>> random.nextInt(64)));
        out.writeBytes(in);
        return out.toByteArray();
    }

    private byte[] overlongVarint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int padding = 1 + random.nextInt(12);
        long v = value;
        do {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        } while (v != 0);
        for (int i = 1; i < padding; i++) {
            out.write(0x80);
        }
        out.write(0);
        return out.toByteArray();
    }

    /** A length-delimited field (the body) whose length claims more, or far more, than follows. */
    private byte[] withLyingInnerLength(byte[] ignored) {
        Frame frame = pick();
        byte[] body = bodyBytes(frame);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int field = FIRST_BODY_FIELD + random.nextInt(LAST_BODY_FIELD - FIRST_BODY_FIELD + 1);
        writeVarint(out, ((long) field << 3) | 2);
        long claimed;
        switch (random.nextInt(3)) {
            case 0:
                claimed = body.length + 1 + random.nextInt(100);
                break;
            case 1:
                claimed = Integer.MAX_VALUE;
                break;
            default:
                claimed = 0xFFFFFFFFFFL;
                break;
        }
        writeVarint(out, claimed);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private byte[] splice(byte[] a, byte[] b) {
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(b.length + 1);
        byte[] out = new byte[cutA + b.length - cutB];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    static void writeVarint(ByteArrayOutputStream out, long value) {
        byte[] buffer = new byte[CodedOutputStream.computeUInt64SizeNoTag(value)];
        CodedOutputStream coded = CodedOutputStream.newInstance(buffer);
        try {
            coded.writeUInt64NoTag(value);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(buffer);
    }
}

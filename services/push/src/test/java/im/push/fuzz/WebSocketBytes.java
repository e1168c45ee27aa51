package im.push.fuzz;

import com.google.protobuf.InvalidProtocolBufferException;
import im.protocol.client.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6455 on the byte level, so the fuzz tests can break the WebSocket framing itself (a real
 * client library only writes valid frames): the upgrade request, masked client frames, and the
 * server's unmasked frames read back.
 */
public final class WebSocketBytes {

    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;

    private WebSocketBytes() {
    }

    public static byte[] upgradeRequest(String host, String path) {
        return ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One client frame: FIN and opcode as given, masked with {@code mask} as a client must. */
    public static byte[] clientFrame(boolean fin, int opcode, byte[] payload, int mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (opcode & 0x0F));
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        out.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ key[i & 3]);
        }
        return out.toByteArray();
    }

    /** What the server wrote after the upgrade: its binary messages as Frames, and whether it sent Close. */
    public record ServerFrames(List<Frame> frames, boolean close) {
    }

    /** Parses complete server frames from {@code bytes}; an incomplete tail is ignored. */
    public static ServerFrames parseServerFrames(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        boolean close = false;
        int at = 0;
        while (at + 2 <= bytes.length) {
            int opcode = bytes[at] & 0x0F;
            int length = bytes[at + 1] & 0x7F;
            int header = 2;
            if (length == 126) {
                if (at + 4 > bytes.length) {
                    break;
                }
                length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (at + 10 > bytes.length) {
                    break;
                }
                long big = 0;
                for (int i = 0; i < 8; i++) {
                    big = (big << 8) | (bytes[at + 2 + i] & 0xFF);
                }
                length = (int) big;
                header = 10;
            }
            if (at + header + length > bytes.length) {
                break;
            }
            byte[] payload = new byte[length];
            System.arraycopy(bytes, at + header, payload, 0, length);
            if (opcode == OP_BINARY) {
                try {
                    frames.add(Frame.parseFrom(payload));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("the server wrote a binary message that is not a Frame", e);
                }
            } else if (opcode == OP_CLOSE) {
                close = true;
            }
            at += header + length;
        }
        return new ServerFrames(frames, close);
    }

    /** The end of the HTTP response head, or -1. */
    public static int endOfHead(byte[] bytes, int length) {
        for (int i = 3; i < length; i++) {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}

package im.push.end2end;

import com.google.protobuf.InvalidProtocolBufferException;
import im.protocol.client.Frame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A device on the WebSocket listener (the JDK client, as a browser would): one binary message = one frame. */
final class WebSocketDevice extends TestDevice {

    private final WebSocket socket;

    WebSocketDevice(int port) throws Exception {
        this(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + "/ws"));
    }

    /** With a client of the test's making, e.g. one for wss:// URIs. */
    WebSocketDevice(HttpClient http, URI uri) throws Exception {
        socket = http.newWebSocketBuilder()
                .buildAsync(uri, new Listener())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    synchronized void send(Frame frame) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(frame.toByteArray()), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    synchronized void sendText(String text) throws Exception {
        socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            message.writeBytes(bytes);
            if (last) {
                try {
                    arrived(Frame.parseFrom(message.toByteArray()));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("server sent a message that is not a Frame", e);
                } finally {
                    message.reset();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedByServer();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedByServer();
        }
    }
}

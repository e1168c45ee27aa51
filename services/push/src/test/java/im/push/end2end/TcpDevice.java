package im.push.end2end;

import im.protocol.client.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A device on the TCP listener: varint32-delimited frames, exactly Frame.writeDelimitedTo. */
final class TcpDevice extends TestDevice {

    private final Socket socket;
    private final OutputStream out;

    TcpDevice(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** On a socket opened by the test, e.g. a TLS one. */
    TcpDevice(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        Thread reader = new Thread(() -> {
            try {
                for (Frame frame = Frame.parseDelimitedFrom(in); frame != null; frame = Frame.parseDelimitedFrom(in)) {
                    arrived(frame);
                }
            } catch (IOException e) {
                // reset by the server: closed as well
            } finally {
                closedByServer();
            }
        }, "tcp-device-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    synchronized void send(Frame frame) throws IOException {
        frame.writeDelimitedTo(out);
        out.flush();
    }

    /** Writes raw bytes, for tests of bad input. */
    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

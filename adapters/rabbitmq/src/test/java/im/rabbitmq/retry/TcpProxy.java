package im.rabbitmq.retry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of the shared broker that a test can cut and restore: the scheduler's
 * view of a broker restart, without restarting a broker other builds use. Cutting closes the
 * listening socket and every forwarded connection; restoring listens on the same port again.
 */
final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port = Broker.freePort();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpProxy(int targetPort) {
        this.targetPort = targetPort;
    }

    int port() {
        return port;
    }

    void restore() throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(Broker.HOST, port));
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    void cut() {
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream = new Socket(Broker.HOST, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // cut
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or the peer closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "test-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}

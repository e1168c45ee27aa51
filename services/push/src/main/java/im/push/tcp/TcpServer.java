package im.push.tcp;

import im.push.PushConfig;
import im.push.connection.ClientListener;
import im.push.connection.ConnectionConfig;
import im.push.connection.ConnectionCounters;
import im.push.session.ClientFrameHandler;
import im.push.tls.ServerTls;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/** The TCP listener's lifecycle: bound when the application starts, drained when it stops. */
@ApplicationScoped
public class TcpServer {

    private final TcpConfig config;
    private final PushConfig push;
    private final ConnectionConfig connection;
    private final ConnectionCounters counters;
    private final ClientFrameHandler session;
    private final ServerTls tls;
    private ClientListener listener;

    public TcpServer(TcpConfig config, PushConfig push, ConnectionConfig connection, ConnectionCounters counters,
            ClientFrameHandler session, ServerTls tls) {
        this.config = config;
        this.push = push;
        this.connection = connection;
        this.counters = counters;
        this.session = session;
        this.tls = tls;
    }

    void start(@Observes StartupEvent event) {
        listener = ClientListener.bind(
                new ClientListener.Settings("tcp", config.host(), config.port(), config.ioThreads(), config.backlog(),
                        connection),
                connections -> new TcpServerInitializer(connections, push, connection, counters, session, tls));
    }

    void stop(@Observes ShutdownEvent event) {
        if (listener != null) {
            listener.close(Duration.ofSeconds(5));
            listener = null;
        }
    }
}

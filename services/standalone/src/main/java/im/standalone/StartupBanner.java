package im.standalone;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Tells the person who just started the system where to point clients. */
@ApplicationScoped
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            @ConfigProperty(name = "im.push.tcp.port") int tcpPort,
            @ConfigProperty(name = "im.push.websocket.port") int webSocketPort,
            @ConfigProperty(name = "im.standalone.data-dir") String dataDir) {
        LOG.infof("""
                IM standalone is up.
                  REST (auth, users, friends)  http://localhost:%d
                  chat over TCP                tcp://localhost:%d
                  chat over WebSocket          ws://localhost:%d/ws
                  data                         %s
                Chat from two other terminals: ./im register alice, ./im login alice, ./im chat bob (see README).""",
                httpPort, tcpPort, webSocketPort, Path.of(dataDir).toAbsolutePath().normalize());
    }
}

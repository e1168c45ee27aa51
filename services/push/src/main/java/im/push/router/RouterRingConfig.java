package im.push.router;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where this push node finds the routers, and how it treats one that does not answer. */
@ConfigMapping(prefix = "im.push.router")
public interface RouterRingConfig {

    /**
     * A fixed list of routers, {@code host:port} each (the local cluster, tests). When absent, the
     * routers are the addresses {@link #host} resolves to.
     */
    Optional<List<String>> addresses();

    /**
     * A name whose DNS A records are every router: in Kubernetes the routers' headless Service
     * (a ClusterIP Service would hide the pods behind one address).
     */
    @WithDefault("router")
    String host();

    @WithDefault("9000")
    int port();

    /**
     * How often the name is resolved again. Routers come and go with deployments and scaling; 10 s
     * moves conversations to a new router soon after it is ready, without a DNS query per call.
     */
    @WithDefault("10s")
    Duration refresh();

    /**
     * How long a router that answered UNAVAILABLE (or could not be reached) is passed over: its
     * conversations go to their next router meanwhile. Long enough to let a restarting router come
     * back, short enough that a router that only hiccuped gets its conversations back soon.
     */
    @WithDefault("5s")
    Duration downFor();

    /**
     * The PEM CA that signed the routers' gRPC certificates: when present, calls to the routers go
     * over TLS 1.3, each router checked under the name {@link #host} (routers are dialled by their
     * pod addresses, so their certificates name the Service). Absent: plain text.
     */
    Optional<Path> tlsCa();
}

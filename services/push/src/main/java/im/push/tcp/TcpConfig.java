package im.push.tcp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The TCP listener (native and SDK clients: varint32-prefixed frames). */
@ConfigMapping(prefix = "im.push.tcp")
public interface TcpConfig {

    /** The port clients are told in docs/architecture.md. */
    @WithDefault("7000")
    int port();

    /** All interfaces: the listener is the public edge (a Service or the laptop's clients). */
    @WithDefault("0.0.0.0")
    String host();

    /** Event-loop threads; 0 means Netty's default (twice the cores), right for an I/O-bound edge. */
    @WithDefault("0")
    int ioThreads();

    /** Accept queue: absorbs a reconnect storm after a node restart without refusing SYNs. */
    @WithDefault("1024")
    int backlog();
}

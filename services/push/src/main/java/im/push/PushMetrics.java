package im.push;

import im.protocol.client.ErrorCode;
import im.push.connection.ConnectionCounters;
import im.push.retry.DeliveryRetries;
import im.push.session.SessionRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/**
 * This push node in the app's metrics, from the counters its parts keep: connections (open,
 * accepted, refused, closed idle or slow, errors), sessions, refusals by error code, and
 * retransmissions (sent again, given up, forgotten over the per-device bound).
 */
@Singleton
public class PushMetrics {

    private final MeterRegistry registry;
    private final ConnectionCounters connections;
    private final SessionRegistry sessions;
    private final DeliveryRetries retries;

    public PushMetrics(MeterRegistry registry, ConnectionCounters connections, SessionRegistry sessions,
            DeliveryRetries retries) {
        this.registry = registry;
        this.connections = connections;
        this.sessions = sessions;
        this.retries = retries;
    }

    void bind(@Observes StartupEvent event) {
        Gauge.builder("im.push.connections.open", connections, ConnectionCounters::open)
                .description("Client connections open on this node").register(registry);
        Gauge.builder("im.push.sessions", sessions, SessionRegistry::size)
                .description("Sessions (devices past Hello) on this node").register(registry);
        counter("im.push.connections.accepted", connections, ConnectionCounters::accepted, "Connections accepted");
        counter("im.push.connections.refused", connections, ConnectionCounters::refusedAtLimit,
                "Connections refused at the node's limit");
        counter("im.push.connections.idle.closed", connections, ConnectionCounters::idleClosed,
                "Connections closed for silence");
        counter("im.push.connections.slow.closed", connections, ConnectionCounters::slowClosed,
                "Connections closed for not reading what they were sent");
        counter("im.push.connections.io.errors", connections, ConnectionCounters::ioErrors,
                "Connections ended by an I/O error");
        counter("im.push.connections.unexpected.errors", connections, ConnectionCounters::unexpectedErrors,
                "Connections ended by an unexpected error");
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED) {
                FunctionCounter.builder("im.push.frames.rejected", connections, c -> c.rejected(code))
                        .tag("code", code.name()).description("Client requests answered with an error")
                        .register(registry);
            }
        }
        counter("im.push.retries.retransmitted", retries, DeliveryRetries::retransmitted,
                "Deliveries sent again after their ack did not come");
        counter("im.push.retries.given.up", retries, DeliveryRetries::givenUp,
                "Deliveries left to sync after their last attempt");
        counter("im.push.retries.overflowed", retries, DeliveryRetries::overflowed,
                "Pending deliveries forgotten over the per-device bound");
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> count, String description) {
        FunctionCounter.builder(name, source, count).description(description).register(registry);
    }
}

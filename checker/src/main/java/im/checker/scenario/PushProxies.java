package im.checker.scenario;

import im.checker.proxy.FaultPlan;
import im.checker.proxy.FaultProxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One fault proxy in front of each push node's TCP listener, all following one fault plan. A
 * device is given every proxy, its home node's first, so a lost connection moves it to the next.
 */
final class PushProxies implements AutoCloseable {

    // Spreads the proxies' seeds apart (the 64-bit golden ratio); the first proxy keeps the run's seed.
    private static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;

    private final List<FaultProxy> proxies = new ArrayList<>();

    /** Starts a proxy in front of each of {@code backends} ({@code tcp://host:port}). */
    static PushProxies start(List<URI> backends, long seed) throws InterruptedException {
        PushProxies started = new PushProxies();
        try {
            for (int i = 0; i < backends.size(); i++) {
                URI backend = backends.get(i);
                started.proxies.add(new FaultProxy(backend.getHost(), backend.getPort(), seed + i * SEED_STRIDE).start());
            }
        } catch (InterruptedException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    int size() {
        return proxies.size();
    }

    /** Every proxy's endpoint, the one in front of node {@code home} (0-based) first, the others in order. */
    List<URI> endpointsFrom(int home) {
        return IntStream.range(0, proxies.size())
                .mapToObj(i -> proxies.get((home + i) % proxies.size()).tcp()).toList();
    }

    void plan(FaultPlan plan) {
        proxies.forEach(p -> p.plan(plan));
    }

    void killsPerSecond(double perSecond) {
        // Spread over the proxies, so the total rate is what was asked.
        proxies.forEach(p -> p.killsPerSecond(perSecond / proxies.size()));
    }

    /** Cuts every open connection through every proxy. */
    void killAll() {
        proxies.forEach(FaultProxy::killAll);
    }

    /** Where the proxies listen, one line. */
    String describe() {
        return proxies.stream().map(p -> p.tcp().toString()).collect(Collectors.joining(", "));
    }

    /** The proxies' counters, one line; with several, each prefixed by its node number (1-based). */
    String summary() {
        if (proxies.size() == 1) {
            return proxies.get(0).counters().summary();
        }
        return IntStream.range(0, proxies.size())
                .mapToObj(i -> "#" + (i + 1) + " " + proxies.get(i).counters().summary())
                .collect(Collectors.joining(" | "));
    }

    @Override
    public void close() {
        proxies.forEach(FaultProxy::close);
    }
}

package im.push.router;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * Which router serves a conversation: rendezvous hashing of the conversation over the routers
 * found, so every push node sends one conversation's writes to the same router while it is up.
 * That keeps a device's numbered sends in order on one router (round robin put consecutive sends
 * of a device on different routers, which committed them out of order and refused the later
 * ones), and keeps each conversation's rows written by one router, whose remembered last seq then
 * stays right. A router that answers UNAVAILABLE is passed over for {@code down-for}; its
 * conversations go to their second choice meanwhile, and only they move when routers come or go.
 *
 * <p>Threads: {@link #channelFor} and {@link #unavailable} from any thread, event loops included:
 * no lock, no lookup; the membership is resolved at start and then replaced whole by one refresh
 * thread.
 */
@Singleton
// Kept where nothing uses it (the standalone app calls the router in process): push's own
// application.properties sets im.push.router.*, which must still map to a config root there.
@Unremovable
public class RouterRing {

    private static final Logger LOG = Logger.getLogger(RouterRing.class);

    /** One router: its address and the channel to it. */
    private record Member(String address, ManagedChannel channel) {
    }

    // Murmur3 scores are the same on every push node and every run, which is what lets all nodes
    // pick the same router for a conversation.
    private static final HashFunction SCORES = Hashing.murmur3_128();

    private final RouterRingConfig config;
    // null: plain text to the routers
    private final SslContext routerTls;
    private final LongSupplier clock;
    private final ScheduledExecutorService refresher;
    private volatile List<Member> members = List.of();
    // address -> until when (clock nanos) it is passed over
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();

    public RouterRing(RouterRingConfig config) {
        this.config = config;
        this.routerTls = routerTls(config);
        this.clock = System::nanoTime;
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "im-push-router-ring");
            thread.setDaemon(true);
            return thread;
        });
        refresh();
        if (config.addresses().isEmpty()) {
            long period = config.refresh().toMillis();
            refresher.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** The channel to the router of this key (a conversation id, or any stable key of the caller). */
    public Channel channelFor(String key) {
        return memberFor(key).channel();
    }

    /** The address of the router of this key. */
    public String addressFor(String key) {
        return memberFor(key).address();
    }

    private Member memberFor(String key) {
        List<Member> current = members;
        if (current.isEmpty()) {
            // never resolved here: callers may be event loops; the refresh thread tries again
            throw new IllegalStateException("no router found at " + describeSource());
        }
        long now = clock.getAsLong();
        Member best = null;
        Member bestDown = null;
        long bestScore = Long.MIN_VALUE;
        long bestDownScore = Long.MIN_VALUE;
        for (Member member : current) {
            long score = score(key, member.address());
            Long down = downUntil.get(member.address());
            if (down != null && down - now > 0) {
                if (score > bestDownScore) {
                    bestDownScore = score;
                    bestDown = member;
                }
            } else if (score > bestScore) {
                bestScore = score;
                best = member;
            }
        }
        // every router passed over: try this key's own first choice rather than none
        return best != null ? best : bestDown;
    }

    /** The router behind this channel did not answer: pass it over for a while. */
    public void unavailable(Channel channel) {
        for (Member member : members) {
            if (member.channel() == channel) {
                downUntil.put(member.address(), clock.getAsLong() + config.downFor().toNanos());
                LOG.debugf("router %s unavailable; its conversations go to their next router for %s",
                        member.address(), config.downFor());
            }
        }
    }

    /** How many routers are known. */
    public int size() {
        return members.size();
    }

    private synchronized void refresh() {
        List<String> found;
        try {
            found = config.addresses().orElseGet(this::resolve);
        } catch (RuntimeException e) {
            LOG.warnf("routers not resolved (%s); keeping %d known", e.getMessage(), members.size());
            return;
        }
        Map<String, Member> byAddress = new TreeMap<>();
        for (Member member : members) {
            byAddress.put(member.address(), member);
        }
        List<Member> next = new ArrayList<>();
        for (String address : found) {
            Member known = byAddress.remove(address);
            next.add(known != null ? known : open(address));
        }
        if (next.isEmpty() && !members.isEmpty()) {
            LOG.warnf("no router at %s now; keeping %d known", describeSource(), members.size());
            return;
        }
        members = List.copyOf(next);
        // routers that are gone: their calls in flight finish, new ones go elsewhere
        byAddress.values().forEach(member -> member.channel().shutdown());
    }

    private List<String> resolve() {
        try {
            List<String> addresses = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(config.host())) {
                addresses.add(address.getHostAddress() + ":" + config.port());
            }
            return addresses;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve " + config.host(), e);
        }
    }

    private Member open(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("router address is not host:port: " + address);
        }
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        ManagedChannel channel = routerTls == null
                ? ManagedChannelBuilder.forAddress(host, port).usePlaintext().build()
                : NettyChannelBuilder.forAddress(host, port).sslContext(routerTls).overrideAuthority(config.host())
                        .build();
        return new Member(address, channel);
    }

    private static SslContext routerTls(RouterRingConfig config) {
        if (config.tlsCa().isEmpty()) {
            return null;
        }
        try {
            return GrpcSslContexts.forClient().trustManager(config.tlsCa().get().toFile()).protocols("TLSv1.3").build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the routers' CA " + config.tlsCa().get() + ": " + e.getMessage(), e);
        }
    }

    private String describeSource() {
        return config.addresses().map(List::toString).orElse(config.host() + ":" + config.port());
    }

    @PreDestroy
    void close() {
        refresher.shutdownNow();
        members.forEach(member -> member.channel().shutdown());
    }

    /** The key's score at a router: the router with the highest score serves the key. */
    static long score(String key, String address) {
        return SCORES.newHasher().putString(key, StandardCharsets.UTF_8).putChar('@')
                .putString(address, StandardCharsets.UTF_8).hash().asLong();
    }
}

package im.auth.throttle;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Arrays;

/**
 * Who a request comes from, as the per-address limits count it: the connection's remote address,
 * which Quarkus replaces with the address a proxy forwarded only when proxy address forwarding is
 * configured ({@code quarkus.http.proxy.proxy-address-forwarding}, off by default: a client's own
 * {@code X-Forwarded-For} is not trusted).
 *
 * <p>An IPv4 address counts as itself. An IPv6 address counts by its /64: one subscriber or site
 * usually holds a whole /64 and may pick any address in it, so counting single addresses would
 * let it start afresh with every request.
 */
public final class ClientAddress {

    /** What a forwarded value that is no IP address may keep of itself. */
    private static final int MAX_OTHER = 64;
    private static final int IPV6_PREFIX_BYTES = 8;

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        return of(request.remoteAddress());
    }

    static String of(SocketAddress address) {
        if (address == null || address.isDomainSocket() || address.host() == null || address.host().isEmpty()) {
            return "local";
        }
        return of(address.host());
    }

    static String of(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Parses IP literals only: never a name lookup.
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(literal);
        if (ip == null) {
            // Only a proxy forwards something else (e.g. "unknown"); it still counts, bounded.
            return literal.length() <= MAX_OTHER ? literal : literal.substring(0, MAX_OTHER);
        }
        if (ip.length == 4) {
            return NetUtil.bytesToIpAddress(ip);
        }
        if (isIpv4Mapped(ip)) {
            return NetUtil.bytesToIpAddress(Arrays.copyOfRange(ip, 12, 16));
        }
        byte[] prefix = Arrays.copyOf(Arrays.copyOf(ip, IPV6_PREFIX_BYTES), 16);
        return NetUtil.bytesToIpAddress(prefix) + "/64";
    }

    /** {@code ::ffff:a.b.c.d}: an IPv4 client on a dual-stack socket. */
    private static boolean isIpv4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }
}

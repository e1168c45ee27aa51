package im.auth.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void anIpv4AddressCountsAsItself() {
        assertEquals("203.0.113.7", ClientAddress.of("203.0.113.7"));
        assertEquals("203.0.113.7", ClientAddress.of(SocketAddress.inetSocketAddress(51000, "203.0.113.7")));
    }

    @Test
    void ipv6AddressesOfOneSlash64CountAsOne() {
        String one = ClientAddress.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        String other = ClientAddress.of("[2001:db8:1:2::1]");

        assertEquals(one, other);
        assertEquals("2001:db8:1:2::/64", one);
        assertNotEquals(one, ClientAddress.of("2001:db8:1:3::1"));
    }

    @Test
    void anIpv4ClientOnADualStackSocketCountsAsItsIpv4Address() {
        assertEquals("203.0.113.7", ClientAddress.of("::ffff:203.0.113.7"));
    }

    @Test
    void somethingElseAProxyForwardsCountsAsItself_bounded() {
        assertEquals("unknown", ClientAddress.of("unknown"));
        assertEquals(64, ClientAddress.of("x".repeat(500)).length());
    }

    @Test
    void aConnectionWithoutAnInetAddressCountsAsLocal() {
        assertEquals("local", ClientAddress.of(SocketAddress.domainSocketAddress("/run/im.sock")));
    }
}

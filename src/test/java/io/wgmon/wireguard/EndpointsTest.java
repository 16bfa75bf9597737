package io.wgmon.wireguard;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EndpointsTest {
    @Test
    void formatsLikeWgShow() throws Exception {
        assertEquals("192.0.2.2:33612",
                Endpoints.format(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 33612)));
        assertEquals("[2001:db8::2]:51820",
                Endpoints.format(new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 51820)));
        assertNull(Endpoints.format(null));
    }

    @Test
    void compressesTheLongestZeroRunOnly() throws Exception {
        assertEquals("::", Endpoints.address(InetAddress.getByName("::")));
        assertEquals("::1", Endpoints.address(InetAddress.getByName("::1")));
        assertEquals("fe80::1", Endpoints.address(InetAddress.getByName("fe80::1%1")));
        assertEquals("2001:db8:0:1:1:1:1:1", Endpoints.address(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:0:0:1::1", Endpoints.address(InetAddress.getByName("2001:0:0:1:0:0:0:1")));
        assertEquals("2001:db8::1:0:0:1", Endpoints.address(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("fd00:a::", Endpoints.address(InetAddress.getByName("fd00:a::")));
    }
}

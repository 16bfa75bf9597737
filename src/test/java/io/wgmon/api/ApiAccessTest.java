package io.wgmon.api;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.wgmon.api.ApiAccess.Decision.ALLOW;
import static io.wgmon.api.ApiAccess.Decision.CLOSED;
import static io.wgmon.api.ApiAccess.Decision.NEEDS_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiAccessTest {
    private static final String TOKEN = "Kx3+9/a_b.c~d-EfGhIjKl==";
    private final ApiAccess withToken = new ApiAccess(Optional.of(TOKEN));
    private final ApiAccess withoutToken = new ApiAccess(Optional.empty());

    @Test
    void loopbackIsAllowedWithOrWithoutAToken() {
        assertEquals(ALLOW, withToken.decide(true, null));
        assertEquals(ALLOW, withToken.decide(true, "Bearer wrong-token-wrong-token"));
        assertEquals(ALLOW, withoutToken.decide(true, null));
    }

    @Test
    void anotherHostNeedsTheRightToken() {
        assertEquals(NEEDS_TOKEN, withToken.decide(false, null));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, ""));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, "Bearer"));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, "Bearer "));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, "Bearer " + TOKEN.substring(1)));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, "Bearer " + TOKEN + "x"));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, "Basic " + TOKEN));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, TOKEN));
        assertEquals(NEEDS_TOKEN, withToken.decide(false, "Bearer" + TOKEN));
        assertEquals(ALLOW, withToken.decide(false, "Bearer " + TOKEN));
        assertEquals(ALLOW, withToken.decide(false, "bearer " + TOKEN), "the scheme is case-insensitive");
        assertEquals(ALLOW, withToken.decide(false, "  Bearer   " + TOKEN + " "));
    }

    @Test
    void withoutATokenAnotherHostIsRefusedWhateverItSends() {
        assertEquals(CLOSED, withoutToken.decide(false, null));
        assertEquals(CLOSED, withoutToken.decide(false, "Bearer " + TOKEN));
        assertEquals(CLOSED, withoutToken.decide(false, "Bearer "));
    }

    @Test
    void bearerCredentialsAreTakenFromTheHeader() {
        assertEquals("abc", ApiAccess.bearerToken("Bearer abc"));
        assertNull(ApiAccess.bearerToken("Bearerabc"));
        assertNull(ApiAccess.bearerToken(null));
    }

    @Test
    void loopbackMeansTheLoopbackAddressesOnly() {
        assertTrue(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(1234, "127.0.0.1")));
        assertTrue(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(1234, "127.8.9.10")));
        assertTrue(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(1234, "::1")));
        assertTrue(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(1234, "::ffff:127.0.0.1")));
        assertTrue(AccessFilter.isLoopback(SocketAddress.domainSocketAddress("/run/wgmon.sock")));
        assertFalse(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(1234, "192.0.2.2")));
        assertFalse(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(1234, "fd00::2")));
        assertFalse(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(1234, "0.0.0.0")));
        assertFalse(AccessFilter.isLoopback(null));
    }

    @Test
    void healthIsTheHealthTreeOnly() {
        assertTrue(AccessFilter.isHealth("/q/health"));
        assertTrue(AccessFilter.isHealth("/q/health/ready"));
        assertFalse(AccessFilter.isHealth("/q/healthz"));
        assertFalse(AccessFilter.isHealth("/q/metrics"));
    }
}

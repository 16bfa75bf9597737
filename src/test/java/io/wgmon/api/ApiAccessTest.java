package io.wgmon.api;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.wgmon.api.ApiAccess.Decision.ALLOW;
import static io.wgmon.api.ApiAccess.Decision.CLOSED;
import static io.wgmon.api.ApiAccess.Decision.NEEDS_TOKEN;
import static io.wgmon.api.ApiAccess.Decision.WRONG_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiAccessTest {
    private static final String TOKEN = "Kx3+9/a_b.c~d-EfGhIjKl==";
    private final ApiAccess withToken = new ApiAccess(Optional.of(TOKEN), Optional.empty());
    private final ApiAccess withoutToken = new ApiAccess(Optional.empty(), Optional.empty());

    @Test
    void loopbackIsTrustedByDefaultOnlyWithoutAToken() {
        assertTrue(withoutToken.trusts(true));
        assertFalse(withToken.trusts(true), "with a token, loopback is not a credential");
        assertTrue(new ApiAccess(Optional.of(TOKEN), Optional.of(true)).trusts(true));
        assertFalse(new ApiAccess(Optional.empty(), Optional.of(false)).trusts(true));
        assertFalse(withoutToken.trusts(false));
        assertFalse(new ApiAccess(Optional.of(TOKEN), Optional.of(true)).trusts(false));
    }

    @Test
    void anotherHostNeedsTheRightToken() {
        assertEquals(NEEDS_TOKEN, withToken.decide(null));
        assertEquals(NEEDS_TOKEN, withToken.decide(""));
        assertEquals(NEEDS_TOKEN, withToken.decide("Bearer"));
        assertEquals(NEEDS_TOKEN, withToken.decide("Bearer "));
        assertEquals(NEEDS_TOKEN, withToken.decide("Basic " + TOKEN));
        assertEquals(NEEDS_TOKEN, withToken.decide(TOKEN));
        assertEquals(NEEDS_TOKEN, withToken.decide("Bearer" + TOKEN));
        assertEquals(WRONG_TOKEN, withToken.decide("Bearer " + TOKEN.substring(1)));
        assertEquals(WRONG_TOKEN, withToken.decide("Bearer " + TOKEN + "x"));
        assertEquals(ALLOW, withToken.decide("Bearer " + TOKEN));
        assertEquals(ALLOW, withToken.decide("bearer " + TOKEN), "the scheme is case-insensitive");
        assertEquals(ALLOW, withToken.decide("  Bearer   " + TOKEN + " "));
    }

    @Test
    void withoutATokenAnotherHostIsRefusedWhateverItSends() {
        assertEquals(CLOSED, withoutToken.decide(null));
        assertEquals(CLOSED, withoutToken.decide("Bearer " + TOKEN));
        assertEquals(CLOSED, withoutToken.decide("Bearer "));
        assertFalse(withoutToken.matches(TOKEN));
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

package io.wgmon.api;

import io.vertx.core.net.SocketAddress;
import io.wgmon.delivery.LogCapture;
import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthFailuresTest {
    private static final SocketAddress STRANGER = SocketAddress.inetSocketAddress(40000, "192.0.2.7");
    private static final SocketAddress NEIGHBOUR = SocketAddress.inetSocketAddress(40000, "192.0.2.8");
    private final ManualTimers timers = new ManualTimers();
    private final AuthFailures failures = new AuthFailures(timers);

    @Test
    void tenFailuresInAMinuteBlockTheSourceForTheRestOfIt() {
        for (int i = 0; i < AuthFailures.LIMIT; i++) {
            assertEquals(Optional.empty(), failures.blockedFor(STRANGER), "try " + (i + 1));
            failures.failed(STRANGER, "token");
            timers.advance(Duration.ofSeconds(2));
        }
        assertEquals(Optional.of(Duration.ofSeconds(40)), failures.blockedFor(STRANGER));
        assertEquals(Optional.empty(), failures.blockedFor(NEIGHBOUR), "only that source");
        timers.advance(Duration.ofSeconds(40));
        assertEquals(Optional.empty(), failures.blockedFor(STRANGER), "a new window");
    }

    @Test
    void oneLinePerSourceAndWindowWithTheCountOfTheWindowBeforeAndNoToken() {
        try (LogCapture log = LogCapture.warningsOf(AuthFailures.class)) {
            for (int i = 0; i < 30; i++) {
                failures.failed(STRANGER, "token");
            }
            failures.failed(NEIGHBOUR, "login");
            timers.advance(AuthFailures.WINDOW);
            failures.failed(STRANGER, "token");
            List<String> lines = log.warnings();
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("Wrong API token from 192.0.2.7 (0 in its window before)"), lines.get(0));
            assertTrue(lines.get(1).startsWith("Wrong API login from 192.0.2.8 (0 in its window before)"), lines.get(1));
            assertTrue(lines.get(2).startsWith("Wrong API token from 192.0.2.7 (30 in its window before)"), lines.get(2));
        }
    }

    @Test
    void anIpv6HostCountsAsItsSlash64() {
        SocketAddress one = SocketAddress.inetSocketAddress(1, "2001:db8:1:2::1");
        SocketAddress other = SocketAddress.inetSocketAddress(1, "2001:db8:1:2:ffff::9");
        assertEquals("2001:db8:1:2::/64", AuthFailures.source(one));
        for (int i = 0; i < AuthFailures.LIMIT; i++) {
            failures.failed(i % 2 == 0 ? one : other, "token");
        }
        assertTrue(failures.blockedFor(other).isPresent());
        assertEquals(Optional.empty(), failures.blockedFor(SocketAddress.inetSocketAddress(1, "2001:db8:1:3::1")));
    }

    @Test
    void theTableIsBoundedAndSourcesBeyondItShareOneWindow() {
        for (int i = 0; i < AuthFailures.MAX_SOURCES; i++) {
            failures.failed(SocketAddress.inetSocketAddress(1, "10.0." + (i / 256) + "." + (i % 256)), "token");
        }
        for (int i = 0; i < AuthFailures.LIMIT; i++) {
            failures.failed(SocketAddress.inetSocketAddress(1, "10.9.0." + i), "token");
        }
        assertTrue(failures.blockedFor(SocketAddress.inetSocketAddress(1, "10.9.9.9")).isPresent(),
                "beyond the table, one shared window");
        timers.advance(AuthFailures.WINDOW);
        failures.failed(SocketAddress.inetSocketAddress(1, "10.9.9.9"), "token");
        assertEquals(Optional.empty(), failures.blockedFor(SocketAddress.inetSocketAddress(1, "10.9.9.9")),
                "expired windows make room");
    }
}

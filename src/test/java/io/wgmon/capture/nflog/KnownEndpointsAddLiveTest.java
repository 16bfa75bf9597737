package io.wgmon.capture.nflog;

import io.wgmon.delivery.LogCapture;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.ThreadCapabilities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.wgmon.capture.LiveSourceSupport.randomPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adding known endpoints against the real kernel's nf_tables, in a namespace of the test's. */
class KnownEndpointsAddLiveTest {
    private static final int CAP_NET_ADMIN = 12;
    private static final Duration SET_TIMEOUT = Duration.ofSeconds(60);

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft");
    }

    private static InetSocketAddress endpoint(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    /** The seconds left of {@code element}'s entry, from {@code nft list set}'s "expires 9s992ms" or "expires 1m2s". */
    private static double expiresOf(String set, String element) {
        Matcher m = Pattern.compile(Pattern.quote(element) + " timeout \\S+ expires (?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?")
                .matcher(set.replaceAll("\\s+", " "));
        assertTrue(m.find(), element + " with its own timeout in: " + set);
        return (m.group(1) == null ? 0 : Integer.parseInt(m.group(1)) * 60)
                + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2)))
                + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)) / 1000.0);
    }

    @Test
    void eachEndpointIsKnownUntilItsHandshakePlusTheSetsTimeoutAndAPastOneNotAtAll() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             LogCapture log = LogCapture.warningsOf(KnownEndpointsAdd.class)) {
            tb.logToNflog(ThreadLocalRandom.current().nextInt(1000, 60000), SET_TIMEOUT);
            Instant now = Instant.now();
            Map<InetSocketAddress, Instant> handshakes = new HashMap<>();
            handshakes.put(endpoint("192.0.2.9", 40001), now.minusSeconds(50));
            handshakes.put(endpoint("192.0.2.10", 40002), now.minusSeconds(61));
            handshakes.put(endpoint("2001:db8::9", 40003), now.minusSeconds(20));
            for (int i = 0; i < KnownEndpointsAdd.BATCH + 10; i++) {
                handshakes.put(endpoint("198.51.100." + (i % 250 + 1), 50000 + i), now);
            }
            KnownEndpointsAdd add = new KnownEndpointsAdd(Clock.systemUTC());

            NetNs.call(tb.serverNs(), () -> {
                add.add(handshakes);
                add.add(Map.of(endpoint("192.0.2.9", 40001), now.minusSeconds(50)));
                return null;
            });

            String known4 = tb.nftSet("known4");
            double left = expiresOf(known4, "192.0.2.9 . 40001");
            assertTrue(left <= 10 && left > 5, "expires at the handshake + 60 s, about 10 s from now: " + left);
            assertFalse(known4.contains("192.0.2.10 . 40002"), "a handshake + timeout already past is skipped: "
                    + known4);
            assertEquals(KnownEndpointsAdd.BATCH + 10, known4.split("198\\.51\\.100\\.", -1).length - 1,
                    "both batches were added: " + known4);
            double left6 = expiresOf(tb.nftSet("known6"), "2001:db8::9 . 40003");
            assertTrue(left6 <= 40 && left6 > 35, "expires at the handshake + 60 s, about 40 s from now: " + left6);
            assertEquals(List.of(), log.warnings());
        }
    }

    @Test
    void withoutTheRulesTableNothingIsAddedAndNothingWarned() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             LogCapture log = LogCapture.warningsOf(KnownEndpointsAdd.class)) {
            KnownEndpointsAdd add = new KnownEndpointsAdd(Clock.systemUTC());
            NetNs.call(tb.serverNs(), () -> {
                add.add(Map.of(endpoint("192.0.2.9", 40001), Instant.now()));
                add.add(Map.of(endpoint("192.0.2.9", 40001), Instant.now()));
                return null;
            });
            assertEquals(List.of(), log.warnings());
            assertFalse(Shell.run(List.of("ip", "netns", "exec", tb.serverNs(), "nft", "list", "ruleset"))
                    .contains("192.0.2.9"));
        }
    }

    @Test
    void aRefusedAddIsOneWarningHoweverOftenItIsRefused() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             LogCapture log = LogCapture.warningsOf(KnownEndpointsAdd.class)) {
            tb.logToNflog(ThreadLocalRandom.current().nextInt(1000, 60000), SET_TIMEOUT);
            KnownEndpointsAdd add = new KnownEndpointsAdd(Clock.systemUTC());
            for (int i = 0; i < 3; i++) {
                NetNs.call(tb.serverNs(), () -> {
                    ThreadCapabilities.dropEffective(CAP_NET_ADMIN);
                    add.add(Map.of(endpoint("192.0.2.9", 40001), Instant.now()));
                    return null;
                });
            }
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).startsWith("Cannot add to the nft rules' known endpoints (table inet "
                    + "wgmon, sets known4 and known6): "), log.warnings().get(0));
            assertFalse(tb.nftSet("known4").contains("192.0.2.9"), tb.nftSet("known4"));

            // the refused adds closed their socket: the next add, allowed again, opens another and succeeds
            NetNs.call(tb.serverNs(), () -> {
                add.add(Map.of(endpoint("192.0.2.9", 40001), Instant.now()));
                add.add(Map.of(endpoint("192.0.2.10", 40002), Instant.now()));
                return null;
            });
            String known4 = tb.nftSet("known4");
            assertTrue(known4.contains("192.0.2.9 . 40001") && known4.contains("192.0.2.10 . 40002"), known4);
            assertEquals(1, log.warnings().size(), log.warnings().toString());
        }
    }
}

package io.wgmon.capture.nflog;

import io.wgmon.delivery.LogCapture;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.ThreadCapabilities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.wgmon.capture.LiveSourceSupport.randomPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flush of the rules' known endpoints against the real kernel's nf_tables, in a namespace of the test's. */
class KnownEndpointsFlushLiveTest {
    private static final int CAP_NET_ADMIN = 12;

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft");
    }

    @Test
    void theKnownEndpointsOfBothFamiliesAreFlushedAndNothingElse() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             LogCapture log = LogCapture.warningsOf(KnownEndpointsFlush.class)) {
            tb.logToNflog(ThreadLocalRandom.current().nextInt(1000, 60000), Duration.ofSeconds(60));
            nft(tb, "add", "element", "inet", "wgmon", "known4", "{ 192.0.2.9 . 40001, 192.0.2.10 . 40002 }");
            nft(tb, "add", "element", "inet", "wgmon", "known6", "{ 2001:db8::9 . 40003 }");
            assertTrue(tb.nftSet("known4").contains("192.0.2.10 . 40002"), tb.nftSet("known4"));

            NetNs.call(tb.serverNs(), () -> {
                new KnownEndpointsFlush().run();
                return null;
            });

            assertFalse(tb.nftSet("known4").contains("elements"), tb.nftSet("known4"));
            assertFalse(tb.nftSet("known6").contains("elements"), tb.nftSet("known6"));
            assertTrue(tb.nftSet("known4").contains("timeout 1m"), "only the elements are flushed: "
                    + tb.nftSet("known4"));
            assertEquals(List.of(), log.warnings());
        }
    }

    @Test
    void withoutTheRulesTableThereIsNothingToFlushAndNothingToSay() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             LogCapture log = LogCapture.warningsOf(KnownEndpointsFlush.class)) {
            NetNs.call(tb.serverNs(), () -> {
                new KnownEndpointsFlush().run();
                return null;
            });
            assertEquals(List.of(), log.warnings());
        }
    }

    @Test
    void aRefusedFlushIsOneWarningHoweverOftenItIsRefused() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             LogCapture log = LogCapture.warningsOf(KnownEndpointsFlush.class)) {
            tb.logToNflog(ThreadLocalRandom.current().nextInt(1000, 60000), Duration.ofSeconds(60));
            nft(tb, "add", "element", "inet", "wgmon", "known4", "{ 192.0.2.9 . 40001 }");
            KnownEndpointsFlush flush = new KnownEndpointsFlush();
            for (int i = 0; i < 3; i++) {
                NetNs.call(tb.serverNs(), () -> {
                    ThreadCapabilities.dropEffective(CAP_NET_ADMIN);
                    flush.run();
                    return null;
                });
            }
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).startsWith("Cannot flush the nft rules' known endpoints (table inet wgmon, "
                    + "sets known4 and known6): "), log.warnings().get(0));
            assertTrue(tb.nftSet("known4").contains("192.0.2.9 . 40001"), tb.nftSet("known4"));
        }
    }

    private static void nft(Testbed tb, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", tb.serverNs(), "nft"));
        command.addAll(List.of(argv));
        Shell.run(command);
    }
}

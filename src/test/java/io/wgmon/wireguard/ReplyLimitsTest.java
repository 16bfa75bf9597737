package io.wgmon.wireguard;

import io.wgmon.wireguard.WireGuardException.Reason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyLimitsTest {
    private static final long MIB = 1L << 20;

    @Test
    void theLimitsFollowTheHeap() {
        // half the heap for peers (2 KiB each), an eighth for allowed IPs (128 B each)
        assertEquals(new ReplyLimits(16 * MIB, 16384, 65536), ReplyLimits.forHeap(64 * MIB));
        assertEquals(new ReplyLimits(32 * MIB, 32768, 131072), ReplyLimits.forHeap(128 * MIB));
        // the byte cap: a quarter of the heap, at most 64 MiB, at least 1 MiB
        assertEquals(64 * MIB, ReplyLimits.forHeap(4096 * MIB).maxBytes());
        assertEquals(1048576, ReplyLimits.forHeap(4096 * MIB).maxPeers());
        assertEquals(MIB, ReplyLimits.forHeap(2 * MIB).maxBytes());
    }

    @Test
    void theFirstRefusalIsTooLargeAndNamesTheSourceAndTheLimit() {
        ReplyBudget budget = new ReplyLimits(100, 2, 3).budget("wg0: UAPI reply on /run/wg0.sock");

        assertTrue(budget.admitPeer());
        assertTrue(budget.admitPeer());
        assertTrue(budget.admitBytes(100));
        assertNull(budget.exceeded());
        assertFalse(budget.admitPeer());
        assertFalse(budget.admitBytes(1));

        assertEquals(Reason.TOO_LARGE, budget.exceeded().reason());
        assertTrue(budget.exceeded().getMessage().startsWith("wg0: UAPI reply on /run/wg0.sock has more than 2 peers"),
                budget.exceeded().getMessage());
    }

    @Test
    void allowedIpsAreCountedOverAllPeers() {
        ReplyBudget budget = new ReplyLimits(100, 10, 3).budget("wg0");

        for (int i = 0; i < 3; i++) {
            assertTrue(budget.admitAllowedIp());
        }
        assertFalse(budget.admitAllowedIp());
        assertTrue(budget.exceeded().getMessage().startsWith("wg0 has more than 3 allowed IPs"));
    }
}

package io.wgmon.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuotaSettingsTest {
    @Test
    void sizesInPowersOfAThousandOrOfTwo() {
        assertEquals(100_000_000_000L, QuotaSettings.bytes("k", "100GB"));
        assertEquals(100_000_000_000L, QuotaSettings.bytes("k", "100 gb"));
        assertEquals(500L << 20, QuotaSettings.bytes("k", "500MiB"));
        assertEquals(1_000_000_000_000L, QuotaSettings.bytes("k", "1T"));
        assertEquals(4096, QuotaSettings.bytes("k", "4096"));
    }

    @Test
    void aBadSizeIsOneLineNamingItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuotaSettings.bytes("wgmon.quota.alice.limit", "lots"));
        assertEquals("wgmon.quota.alice.limit=lots is not a size (e.g. 100GB, 500MiB, 1TB)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuotaSettings.bytes("k", "0"));
        assertThrows(IllegalArgumentException.class, () -> QuotaSettings.bytes("k", "100PB"));
    }
}

package io.wgmon.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pruning batch follows the time its batches take, within 1 and the most. */
class PruneBatchSizeTest {
    private static final long MS = 1_000_000;

    @Test
    void aFastBatchDoublesTheNextUpToTheMost() {
        PruneBatchSize size = new PruneBatchSize(50, 500, Duration.ofMillis(4));
        size.took(50, MS);
        assertEquals(100, size.next());
        size.took(100, MS);
        size.took(200, MS);
        size.took(400, MS);
        assertEquals(500, size.next());
    }

    @Test
    void aSlowBatchShrinksTheNextInProportionDownToOne() {
        PruneBatchSize size = new PruneBatchSize(500, 500, Duration.ofMillis(4));
        size.took(500, 40 * MS);
        assertEquals(50, size.next());
        size.took(50, 3 * MS);
        assertEquals(50, size.next(), "between half the target and the target: kept");
        size.took(50, 10_000 * MS);
        assertEquals(1, size.next());
    }

    @Test
    void aShortBatchChangesNothing() {
        PruneBatchSize size = new PruneBatchSize(50, 500, Duration.ofMillis(4));
        size.took(7, 100 * MS);
        assertEquals(50, size.next());
    }
}

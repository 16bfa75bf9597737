package io.wgmon.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One report per failure, not per write; the end only when the store can commit again. */
class StoreHealthTest {
    private static final StoreFault FULL = new StoreFault(StoreFault.Kind.DISK_FULL, "database or disk is full");
    private static final StoreFault CORRUPT = new StoreFault(StoreFault.Kind.CORRUPT, "disk image is malformed");

    private final StoreHealth health = new StoreHealth(Path.of("/var/lib/wgmon/spool/wgmon.db"));

    @Test
    void aFullDiskIsReportedOnceAndEndsAtTheNextCommit() {
        health.failed(FULL, 3);
        health.failed(FULL, 1);
        health.failed(FULL, 1);
        assertEquals(1, health.faults());
        assertEquals(5, health.lostWrites());
        assertEquals(Optional.of("/var/lib/wgmon/spool/wgmon.db: disk full (database or disk is full)"),
                health.failing());
        health.committed();
        assertEquals(Optional.empty(), health.failing());
        health.failed(FULL, 1);
        assertEquals(2, health.faults(), "a new failure after the end is a new report");
    }

    @Test
    void aChangeOfCauseIsReportedAgain() {
        health.failed(FULL, 1);
        health.failed(CORRUPT, 1);
        health.failed(CORRUPT, 1);
        assertEquals(2, health.faults());
        assertTrue(health.failing().orElseThrow().contains("corrupt page"));
    }

    @Test
    void aDamagedFileStaysFailingWhenAWriteMissesItsBadPages() {
        health.failed(CORRUPT, 1);
        health.committed();
        health.failed(CORRUPT, 1);
        health.committed();
        assertTrue(health.failing().isPresent(), "only the next start's move aside ends it");
        assertEquals(1, health.faults(), "no ERROR/INFO flapping per scan");
    }
}
